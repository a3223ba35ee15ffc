package io.github.taniumroutes.simulator;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The platform REST API of a real simulator over real HTTP, for the Platform*Test classes: a test's
 * own simulator ({@code @RegisterExtension}), closed after the test.
 */
final class PlatformHttp implements AutoCloseable, AfterEachCallback {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String TOKEN = "platform-token";

    /** A JSON reply: status and body (null when the body is not JSON). */
    record Json(int status, JsonNode body) {
        JsonNode data() {
            return body.path("data");
        }

        String text() {
            return body.path("text").asText(null);
        }
    }

    final TaniumSimulator simulator;
    /** The platform's clock, stepped by hand: statuses are computed from it. */
    final AtomicLong clock = new AtomicLong(1_714_640_000_000L);
    private final HttpClient http = HttpClient.newHttpClient();

    PlatformHttp() {
        try {
            simulator = TaniumSimulator.start(0, Path.of("config/simulator/inventory.json"), TOKEN);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        simulator.platform().clock(clock::get);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    PlatformControl platform() {
        return simulator.platform();
    }

    void advance(long millis) {
        clock.addAndGet(millis);
    }

    Json get(String path) throws Exception {
        return send(request(path).GET().build());
    }

    Json get(String path, String header, String value) throws Exception {
        return send(request(path).header(header, value).GET().build());
    }

    Json post(String path, String body) throws Exception {
        return send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    Json post(String path, JsonNode body) throws Exception {
        return post(path, MAPPER.writeValueAsString(body));
    }

    /** The control document, which takes no session. */
    Json control(String document) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(simulator.url() + TaniumSimulator.PLATFORM_PATH)).timeout(Duration.ofSeconds(20))
                .PUT(HttpRequest.BodyPublishers.ofString(document)).build());
    }

    /** Creates an ad-hoc group from filter text and returns its id. */
    long group(String text) throws Exception {
        Json reply = post("/api/v2/groups", MAPPER.createObjectNode().put("text", text));
        if (reply.status() != 200) {
            throw new AssertionError("group " + text + " → " + reply);
        }
        return reply.data().path("id").asLong();
    }

    static String encode(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(simulator.url() + path)).timeout(Duration.ofSeconds(20)).header("session", TOKEN);
    }

    private Json send(HttpRequest request) throws Exception {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode body;
        try {
            body = MAPPER.readTree(response.body());
        } catch (Exception e) {
            body = null;
        }
        return new Json(response.statusCode(), body);
    }

    @Override
    public void close() {
        simulator.close();
    }
}
