package io.github.taniumroutes.policy;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.snakeyaml.engine.v2.api.LoadSettings;

import io.github.taniumroutes.alert.AlertParser;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Reads and validates a playbook policy file (format: config/policy.yaml). Every problem is
 * reported as {@code file:line: problem}, all at once; a policy with any problem is refused whole.
 */
public final class PolicyLoader {

    private static final Set<String> TOP_KEYS = Set.of("staleAfter", "packages", "rules", "default");
    private static final Set<String> RULE_KEYS = Set.of("name", "match", "server", "live", "caps", "steps");
    private static final Set<String> MATCH_KEYS = Set.of("source", "type", "rule", "severityAtLeast", "tags", "hostname", "ip", "server");
    private static final Set<String> CAPS_KEYS = Set.of("perMinute", "perEndpointPerHour");

    private final Set<String> knownServers;

    private final StepTypes types;

    public PolicyLoader(Set<String> knownServers, StepTypes types) {
        this.knownServers = Set.copyOf(knownServers);
        this.types = types;
    }

    public Policy load(String file, String content, Policy.Mode mode) throws PolicyException {
        Problems problems = new Problems(file);
        Node root = compose(file, content, problems);
        if (root == null) {
            throw new PolicyException(problems.list);
        }
        Map<String, NodeTuple> top = mapping(root, "the policy", TOP_KEYS, problems);
        Duration staleAfter = duration(top.get("staleAfter"), problems);
        Set<String> allowlist = new LinkedHashSet<>();
        NodeTuple packages = top.get("packages");
        if (packages != null) {
            Map<String, NodeTuple> packageKeys = mapping(packages.getValueNode(), "packages", Set.of("allowlist"), problems);
            allowlist.addAll(strings(packageKeys.get("allowlist"), problems));
        }
        List<Rule> rules = new ArrayList<>();
        NodeTuple ruleList = top.get("rules");
        if (ruleList != null) {
            if (ruleList.getValueNode() instanceof SequenceNode sequence) {
                for (Node rule : sequence.getValue()) {
                    rules.add(rule(rule, allowlist, problems));
                }
            } else {
                problems.add(ruleList.getValueNode(), "'rules' must be a list of rules");
            }
        }
        NodeTuple defaultRule = top.get("default");
        Rule fallback;
        if (defaultRule == null) {
            problems.add(root, "the policy needs a 'default' rule (for example: default: {steps: [enrich]})");
            fallback = null;
        } else {
            fallback = rule(defaultRule.getValueNode(), allowlist, problems);
            if (fallback != null && fallback.match() != RuleMatch.ANY) {
                problems.add(defaultRule.getValueNode(), "the default rule matches every alert: it takes no 'match'");
            }
        }
        Set<String> names = new LinkedHashSet<>();
        for (Rule rule : rules) {
            if (rule != null && !names.add(rule.name())) {
                problems.list.add(file + ":" + rule.line() + ": rule name '" + rule.name() + "' is used twice");
            }
        }
        if (!problems.list.isEmpty()) {
            throw new PolicyException(problems.list);
        }
        return new Policy("sha256:" + AlertParser.sha256(content), file, mode, staleAfter, Set.copyOf(allowlist), List.copyOf(rules), fallback);
    }

    private Rule rule(Node node, Set<String> allowlist, Problems problems) {
        Map<String, NodeTuple> keys = mapping(node, "a rule", RULE_KEYS, problems);
        int line = line(node);
        String name = keys.containsKey("name") ? scalar(keys.get("name"), problems) : "default";
        RuleMatch match = keys.containsKey("match") ? match(keys.get("match").getValueNode(), problems) : RuleMatch.ANY;
        String server = keys.containsKey("server") ? scalar(keys.get("server"), problems) : null;
        if (server != null && !knownServers.contains(server)) {
            problems.add(keys.get("server").getValueNode(), "unknown Tanium server '" + server + "'; configured: " + knownServers);
        }
        boolean live = keys.containsKey("live") && bool(keys.get("live"), problems);
        Rule.Caps caps = keys.containsKey("caps") ? caps(keys.get("caps").getValueNode(), problems) : Rule.Caps.NONE;
        List<Step> steps = new ArrayList<>();
        NodeTuple stepList = keys.get("steps");
        if (stepList == null || !(stepList.getValueNode() instanceof SequenceNode sequence) || sequence.getValue().isEmpty()) {
            problems.add(stepList == null ? node : stepList.getValueNode(), "rule '" + name + "' needs a non-empty list of 'steps'");
        } else {
            for (Node step : sequence.getValue()) {
                Step parsed = step(step, allowlist, problems);
                if (parsed != null) {
                    steps.add(parsed);
                }
            }
        }
        return new Rule(name, line, match, server, List.copyOf(steps), live, caps);
    }

    private Step step(Node node, Set<String> allowlist, Problems problems) {
        String type;
        Map<String, Object> parameters = new LinkedHashMap<>();
        Node parameterNode = null;
        if (node instanceof ScalarNode scalar) {
            type = scalar.getValue();
        } else if (node instanceof MappingNode mapping && mapping.getValue().size() == 1) {
            NodeTuple only = mapping.getValue().get(0);
            type = only.getKeyNode() instanceof ScalarNode key ? key.getValue() : "?";
            parameterNode = only.getValueNode();
        } else {
            problems.add(node, "a step is a step type, or a step type with its parameters (e.g. 'action: {package: ...}')");
            return null;
        }
        StepType kind = types.get(type);
        if (kind == null) {
            problems.add(node, "unknown step '" + type + "'; known steps: " + types.names());
            return null;
        }
        boolean continueOnFailure = false;
        if (parameterNode != null && !(parameterNode instanceof ScalarNode s && s.getValue().isEmpty())) {
            Set<String> accepted = new LinkedHashSet<>(kind.parameters());
            accepted.add(Step.CONTINUE_ON_FAILURE);
            Map<String, NodeTuple> keys = mapping(parameterNode, "the parameters of step '" + type + "'", accepted, problems);
            keys.forEach((k, v) -> parameters.put(k, plain(v.getValueNode())));
            if (keys.containsKey(Step.CONTINUE_ON_FAILURE)) {
                continueOnFailure = bool(keys.get(Step.CONTINUE_ON_FAILURE), problems);
                parameters.remove(Step.CONTINUE_ON_FAILURE);
            }
        }
        for (String problem : kind.problems(parameters, new StepType.PolicyContext(Set.copyOf(allowlist)))) {
            problems.add(node, problem);
        }
        return new Step(type, line(node), parameters, kind, continueOnFailure);
    }

    private RuleMatch match(Node node, Problems problems) {
        Map<String, NodeTuple> keys = mapping(node, "'match'", MATCH_KEYS, problems);
        String severity = keys.containsKey("severityAtLeast") ? scalar(keys.get("severityAtLeast"), problems) : null;
        if (severity != null && !RuleMatch.SEVERITIES.contains(severity)) {
            problems.add(keys.get("severityAtLeast").getValueNode(), "severityAtLeast must be one of " + RuleMatch.SEVERITIES);
        }
        Set<String> servers = Set.copyOf(strings(keys.get("server"), problems));
        for (String server : servers) {
            if (!knownServers.contains(server)) {
                problems.add(keys.get("server").getValueNode(), "unknown Tanium server '" + server + "'; configured: " + knownServers);
            }
        }
        return new RuleMatch(
                Set.copyOf(strings(keys.get("source"), problems)),
                Set.copyOf(strings(keys.get("type"), problems)),
                patterns(keys.get("rule"), problems),
                severity,
                Set.copyOf(strings(keys.get("tags"), problems)),
                patterns(keys.get("hostname"), problems),
                patterns(keys.get("ip"), problems),
                servers);
    }

    private static Rule.Caps caps(Node node, Problems problems) {
        Map<String, NodeTuple> keys = mapping(node, "'caps'", CAPS_KEYS, problems);
        return new Rule.Caps(positive(keys.get("perMinute"), problems), positive(keys.get("perEndpointPerHour"), problems));
    }

    private static int positive(NodeTuple tuple, Problems problems) {
        if (tuple == null) {
            return Integer.MAX_VALUE;
        }
        String text = scalar(tuple, problems);
        try {
            int value = Integer.parseInt(text);
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(tuple.getValueNode(), "a cap must be a whole number of zero or more, was '" + text + "'");
        return 0;
    }

    private static List<Pattern> patterns(NodeTuple tuple, Problems problems) {
        List<Pattern> patterns = new ArrayList<>();
        for (String text : strings(tuple, problems)) {
            try {
                patterns.add(Pattern.compile(text, Pattern.CASE_INSENSITIVE));
            } catch (PatternSyntaxException e) {
                problems.add(tuple.getValueNode(), "invalid pattern '" + text + "': " + e.getDescription());
            }
        }
        return List.copyOf(patterns);
    }

    private static Duration duration(NodeTuple tuple, Problems problems) {
        if (tuple == null) {
            return null;
        }
        String text = scalar(tuple, problems);
        try {
            return Duration.parse(text.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            problems.add(tuple.getValueNode(), "staleAfter must be an ISO-8601 duration such as PT30M, was '" + text + "'");
            return null;
        }
    }

    private static boolean bool(NodeTuple tuple, Problems problems) {
        String text = scalar(tuple, problems);
        if (!"true".equals(text) && !"false".equals(text)) {
            problems.add(tuple.getValueNode(), "'" + ((ScalarNode) tuple.getKeyNode()).getValue() + "' must be true or false");
        }
        return "true".equals(text);
    }

    private static String scalar(NodeTuple tuple, Problems problems) {
        if (tuple.getValueNode() instanceof ScalarNode scalar) {
            return scalar.getValue();
        }
        problems.add(tuple.getValueNode(), "'" + ((ScalarNode) tuple.getKeyNode()).getValue() + "' must be a single value");
        return "";
    }

    private static List<String> strings(NodeTuple tuple, Problems problems) {
        if (tuple == null) {
            return List.of();
        }
        Node value = tuple.getValueNode();
        if (value instanceof ScalarNode scalar) {
            return List.of(scalar.getValue());
        }
        if (value instanceof SequenceNode sequence) {
            List<String> strings = new ArrayList<>();
            for (Node item : sequence.getValue()) {
                if (item instanceof ScalarNode scalar) {
                    strings.add(scalar.getValue());
                } else {
                    problems.add(item, "expected a single value in this list");
                }
            }
            return strings;
        }
        problems.add(value, "expected a value or a list of values");
        return List.of();
    }

    private static Map<String, NodeTuple> mapping(Node node, String what, Set<String> allowed, Problems problems) {
        Map<String, NodeTuple> keys = new LinkedHashMap<>();
        if (!(node instanceof MappingNode mapping)) {
            problems.add(node, what + " must be a mapping of keys to values");
            return keys;
        }
        for (NodeTuple tuple : mapping.getValue()) {
            String key = tuple.getKeyNode() instanceof ScalarNode scalar ? scalar.getValue() : "?";
            if (!allowed.contains(key)) {
                problems.add(tuple.getKeyNode(), "unknown key '" + key + "' in " + what + "; allowed: " + new java.util.TreeSet<>(allowed));
            } else if (keys.put(key, tuple) != null) {
                problems.add(tuple.getKeyNode(), "key '" + key + "' appears twice in " + what);
            }
        }
        return keys;
    }

    /** Parameter values as plain Java values (String, List, Map), for the step routes. */
    private static Object plain(Node node) {
        if (node instanceof ScalarNode scalar) {
            return scalar.getValue();
        }
        if (node instanceof SequenceNode sequence) {
            return sequence.getValue().stream().map(PolicyLoader::plain).toList();
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (NodeTuple tuple : ((MappingNode) node).getValue()) {
            map.put(tuple.getKeyNode() instanceof ScalarNode s ? s.getValue() : "?", plain(tuple.getValueNode()));
        }
        return map;
    }

    private static Node compose(String file, String content, Problems problems) {
        LoadSettings settings = LoadSettings.builder().setLabel(file).build();
        try {
            Composer composer = new Composer(settings, new ParserImpl(settings, new StreamReader(settings, content)));
            Optional<Node> root = composer.getSingleNode();
            if (root.isEmpty()) {
                problems.list.add(file + ":1: the policy file is empty");
                return null;
            }
            return root.get();
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(1);
            problems.list.add(file + ":" + line + ": not valid YAML: " + e.getProblem());
            return null;
        } catch (YamlEngineException e) {
            problems.list.add(file + ":1: not valid YAML: " + e.getMessage());
            return null;
        }
    }

    private static int line(Node node) {
        return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }


    private static final class Problems {
        private final String file;
        private final List<String> list = new ArrayList<>();

        Problems(String file) {
            this.file = file;
        }

        void add(Node node, String problem) {
            list.add(file + ":" + line(node) + ": " + problem);
        }
    }
}
