package io.github.taniumroutes.question;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.taniumroutes.action.TargetingText;
import io.github.taniumroutes.investigation.Investigation;
import io.github.taniumroutes.investigation.InvestigationProgress;
import io.github.taniumroutes.tanium.ResultSet;
import io.github.taniumroutes.tanium.TaniumJson;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * What each reply means for a question step (routes/question.yaml). The question is written as text
 * ({@code Get <sensor> from all machines with Computer Name equals "…" and Computer ID equals "…"}, every
 * alert value quoted as in targeting text), read by Tanium's parser ({@code POST /api/v2/parse_question}),
 * and asked as the parsed candidate whose text is the one asked — not blindly the first, which may read
 * the filter more loosely — with the sensor's parameters added as {@code ||Key||} values, as JSON, never
 * as text ({@code POST /api/v2/questions}). Then {@code result_info} (counters only, the cheap call) is
 * polled until the endpoint answered or the completion reached the threshold, and {@code result_data}
 * (a 404 while Tanium has no results yet is "not ready", not an error) gives the rows, up to
 * {@code maxRows}, into the step's result. The state keeps {@code questionId}.
 *
 * <p>Outcomes: {@code completed}; {@code rejected} (the endpoint's name cannot be written safely, or no
 * reading of the question by Tanium is the one asked: nothing was asked); the engine's {@code expired}
 * and {@code tanium_error}.
 */
@Singleton
@Named("questionSteps")
public class QuestionSteps {

    static final String QUESTION_ID = "questionId";

    private final ObjectMapper mapper;
    private final InvestigationProgress progress;
    private final int maxRows;
    private final int completionPercent;
    private final Duration deadline;

    @Inject
    public QuestionSteps(ObjectMapper mapper, InvestigationProgress progress, @ConfigProperty(name = "question.max-rows") int maxRows,
            @ConfigProperty(name = "question.completion-percent") int completionPercent,
            @ConfigProperty(name = "question.deadline") Duration deadline) {
        this.mapper = mapper;
        this.progress = progress;
        this.maxRows = maxRows;
        this.completionPercent = completionPercent;
        this.deadline = deadline;
    }

    /** The question as text, for Tanium's parser; null (and the step rejected) when the endpoint cannot be named safely. */
    public String questionText(Investigation investigation) {
        try {
            return "Get " + investigation.getParameters().get("sensor") + " from all machines with "
                    + TargetingText.of(investigation.getTarget());
        } catch (TargetingText.Unsafe unsafe) {
            progress.fail(investigation, "rejected", unsafe.getMessage() + "; nothing was asked");
            return null;
        }
    }

    public String parseBody(String text) {
        return TaniumJson.write(mapper, Map.of("text", text));
    }

    /**
     * The question to ask: the parser's candidate whose text is the one asked, with the sensor's
     * parameters; null (and the step rejected) when Tanium read it in no such way.
     */
    public String questionBody(Investigation investigation, String asked, String parseReply) {
        JsonNode root = TaniumJson.read(mapper, parseReply, "parsed question");
        JsonNode candidates = root.has("data") ? root.path("data") : root;
        List<String> readings = new ArrayList<>();
        for (JsonNode candidate : candidates) {
            String text = candidate.path("question_text").asText("");
            readings.add(text);
            if (candidate.isObject() && normalised(text).equals(normalised(asked))) {
                ObjectNode question = ((ObjectNode) candidate).deepCopy();
                withParameters(investigation, question);
                progress.remember(investigation, "questionText", text.length() > 1_000 ? text.substring(0, 1_000) : text);
                return question.toString();
            }
        }
        progress.report(investigation, "parsedAs", readings.size() > 10 ? readings.subList(0, 10) : readings);
        progress.fail(investigation, "rejected", readings.isEmpty()
                ? "Tanium's parser did not understand the question (is the sensor '" + investigation.getParameters().get("sensor")
                        + "' known to this server?); nothing was asked"
                : "Tanium's parser read the question in " + readings.size() + " way(s), none of them as asked; nothing was asked");
        return null;
    }

    /** The sensor's parameters, added to each select of the sensor as Tanium's {@code ||Key||} values. */
    private void withParameters(Investigation investigation, ObjectNode question) {
        if (!(investigation.getParameters().get("parameters") instanceof Map<?, ?> values) || values.isEmpty()) {
            return;
        }
        String sensor = String.valueOf(investigation.getParameters().get("sensor"));
        for (JsonNode select : question.path("selects")) {
            JsonNode found = select.path("sensor");
            if (!(found instanceof ObjectNode node) || !sensor.equalsIgnoreCase(node.path("name").asText(""))) {
                continue;
            }
            ArrayNode parameters = node.putArray("parameters");
            values.forEach((key, value) -> parameters.addObject().put("key", "||" + key + "||").put("value", String.valueOf(value)));
            if (node.has("hash")) {
                // As public integrations send a parameterised sensor: by its source hash.
                node.set("source_hash", node.remove("hash"));
            }
        }
    }

    /** Tanium asked the question: its id is journaled, and its results are awaited. */
    public void asked(Investigation investigation, String reply) {
        JsonNode data = TaniumJson.read(mapper, reply, "question");
        JsonNode id = (data.has("data") ? data.path("data") : data).path("id");
        if (id.asText("").isEmpty()) {
            throw new IllegalStateException("Tanium's reply to the question names no id");
        }
        progress.remember(investigation, QUESTION_ID, id.asText());
        Object given = investigation.getParameters().get("deadline");
        progress.moveTo(investigation, "await-results", given == null ? deadline.toString() : String.valueOf(given));
    }

    /**
     * The question's counters: true when its rows are worth reading — the endpoint answered (one machine
     * passed the question's filter and reported) or the completion reached the threshold; else it waits.
     */
    public boolean infoSeen(Investigation investigation, String reply) {
        progress.polled(investigation, "info");
        ResultSet info = ResultSet.parse(mapper, reply);
        progress.report(investigation, "results", info.counters());
        if (info.mrPassed() >= 1 || info.reached(threshold(investigation))) {
            return true;
        }
        progress.waitOrExpire(investigation, "the endpoint did not answer the question before the deadline ("
                + (info.completionPercent() == null ? "total not yet known" : info.completionPercent() + " % of endpoints answered") + ")");
        return false;
    }

    /** Tanium has no results to give yet (a 404 before they exist): not an error, another wait. */
    public void notReady(Investigation investigation) {
        progress.waitOrExpire(investigation, "Tanium had no results for the question before the deadline");
    }

    /** The rows, up to maxRows, into the step's result; the result says how many there were. */
    public void rowsSeen(Investigation investigation, String reply) {
        progress.polled(investigation, "rows");
        ResultSet set = ResultSet.parse(mapper, reply);
        int cap = investigation.getParameters().containsKey("maxRows")
                ? Integer.parseInt(String.valueOf(investigation.getParameters().get("maxRows"))) : maxRows;
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ResultSet.Row row : set.rows()) {
            if (rows.size() >= cap) {
                break;
            }
            Map<String, Object> values = new LinkedHashMap<>();
            for (int i = 0; i < set.columns().size(); i++) {
                List<String> cell = row.cell(i);
                values.put(set.columns().get(i), cell.size() == 1 ? cell.get(0) : cell);
            }
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("computerId", row.computerId());
            record.put("values", values);
            rows.add(record);
        }
        progress.report(investigation, "results", set.counters());
        progress.report(investigation, "columns", set.columns());
        progress.report(investigation, "rows", rows);
        progress.report(investigation, "totalRows", set.rows().size());
        progress.complete(investigation);
    }

    private int threshold(Investigation investigation) {
        Object given = investigation.getParameters().get("completionPercent");
        return given == null ? completionPercent : Integer.parseInt(String.valueOf(given));
    }

    /** Question texts compared as Tanium writes them back: case, quotes, parentheses and spacing aside. */
    static String normalised(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("[\"()]", " ").replaceAll("\\s+", " ").strip();
    }
}
