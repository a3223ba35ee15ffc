package io.github.taniumroutes.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.github.taniumroutes.alert.CanonicalAlert;

class PolicyLoaderTest {

    private static final String FILE = "policy.yaml";
    private final PolicyLoader loader = new PolicyLoader(Set.of("primary", "secondary"), AllStepTypes.ALL);

    private static final String VALID = """
            staleAfter: PT30M
            packages:
              allowlist: [Kill Process, Quarantine File]
            rules:
              - name: ransomware
                match:
                  source: [splunk, elastic]
                  type: ransomware
                  severityAtLeast: high
                server: secondary
                live: true
                caps: {perMinute: 5, perEndpointPerHour: 2}
                steps:
                  - enrich: {sensors: [Computer Name, IP Address]}
                  - snapshot
                  - action:
                      package: Kill Process
                      parameters:
                        $1: "${process.pid}"
                        $2: {value: "${process.name}", maxLength: 64, type: string}
              - name: suspicious-rule
                match:
                  rule: "Suspicious .*"
                steps:
                  - file-evidence: {paths: ["${file.path}"], allowedPaths: ["/tmp/**"]}
                  - question: {sensor: Trace Executed Processes, parameters: {ProcessPath: "${process.name}"}}
              - name: vip-hosts
                match:
                  tags: [vip, exec]
                  hostname: "ceo-.*"
                  ip: ["10\\\\.1\\\\..*"]
                  server: [primary]
                steps: [direct-connect]
            default:
              steps: [enrich]
            """;

    private Policy load(String yaml) throws PolicyException {
        return loader.load(FILE, yaml, Policy.Mode.DRY_RUN);
    }

    private List<String> problems(String yaml) {
        PolicyException e = catchThrowableOfType(PolicyException.class, () -> load(yaml));
        assertThat(e).as("policy should be refused").isNotNull();
        return e.problems();
    }

    private static CanonicalAlert alert(String source, String type, String rule, String severity, String hostname, String ip,
            List<String> tags) {
        return new CanonicalAlert("id-1", source, "fmt", "2024-01-01T00:00:00Z", severity, type, rule, hostname, ip, null,
                null, null, null, tags, null);
    }

    // ---------------------------------------------------------------- valid policy

    @Test
    void theShippedPolicyLoadsAndSoDoItsReadyMadeTraceAndFileEvidenceRulesOnceUncommented() throws Exception {
        String shipped = java.nio.file.Files.readString(java.nio.file.Path.of("config/policy.yaml"));
        assertThat(loader.load("config/policy.yaml", shipped, Policy.Mode.DRY_RUN).rules()).extracting(Rule::name)
                .containsExactly("linux-reverse-shell");

        String uncommented = shipped.replaceAll("(?m)^  # (- name: (trace-history|crypto-inventory|suspicious-download)|  )", "  $1");
        Policy policy = loader.load("config/policy.yaml", uncommented, Policy.Mode.DRY_RUN);
        assertThat(policy.rules()).extracting(Rule::name).containsExactly("linux-reverse-shell", "trace-history", "crypto-inventory",
                "suspicious-download");
        assertThat(policy.rules().get(2).steps().get(1).parameters().get("paths"))
                .isEqualTo(java.util.List.of(java.util.Map.of("path", "/opt/cryptosense/traces/trace.cst.gz", "trace", "cst")));
        assertThat(policy.rules().get(3).steps()).extracting(Step::type).containsExactly("enrich", "snapshot", "file-evidence");

        Rule trace = policy.rules().stream().filter(r -> r.name().equals("trace-history")).findFirst().orElseThrow();
        assertThat(trace.steps()).extracting(Step::type).containsExactly("enrich", "question", "question", "question", "question", "question");
        assertThat(trace.steps().subList(1, 6)).extracting(step -> step.parameters().get("sensor")).containsExactly("Trace DNS Queries",
                "Trace Executed Processes", "Trace Network Connections", "Trace Logon Events", "Trace File Operations");
        assertThat(trace.steps().get(1).continueOnFailure()).isTrue();
    }

    @Test
    void validPolicyLoads() throws Exception {
        Policy policy = loader.load(FILE, VALID, Policy.Mode.LIVE);

        assertThat(policy.source()).isEqualTo(FILE);
        assertThat(policy.mode()).isEqualTo(Policy.Mode.LIVE);
        assertThat(policy.staleAfter()).isEqualTo(Duration.ofMinutes(30));
        assertThat(policy.packageAllowlist()).containsExactlyInAnyOrder("Kill Process", "Quarantine File");
        assertThat(policy.rules()).extracting(Rule::name).containsExactly("ransomware", "suspicious-rule", "vip-hosts");
        assertThat(policy.rules()).extracting(Rule::line).containsExactly(5, 21, 27);

        Rule ransomware = policy.rules().get(0);
        assertThat(ransomware.server()).isEqualTo("secondary");
        assertThat(ransomware.live()).isTrue();
        assertThat(ransomware.caps()).isEqualTo(new Rule.Caps(5, 2));
        assertThat(ransomware.match().sources()).containsExactlyInAnyOrder("splunk", "elastic");
        assertThat(ransomware.match().types()).containsExactly("ransomware");
        assertThat(ransomware.match().minimumSeverity()).isEqualTo("high");
        assertThat(ransomware.steps()).extracting(Step::type).containsExactly("enrich", "snapshot", "action");
        assertThat(ransomware.steps()).extracting(Step::line).containsExactly(14, 15, 16);
        assertThat(ransomware.steps().get(0).parameters()).isEqualTo(Map.of("sensors", List.of("Computer Name", "IP Address")));
        assertThat(ransomware.steps().get(1).parameters()).isEmpty();
        Step action = ransomware.steps().get(2);
        assertThat(action.isRemediation()).isTrue();
        assertThat(action.parameters()).isEqualTo(Map.of(
                "package", "Kill Process",
                "parameters", Map.of(
                        "$1", "${process.pid}",
                        "$2", Map.of("value", "${process.name}", "maxLength", "64", "type", "string"))));
        assertThat(action.parameters().get("parameters")).isInstanceOf(Map.class);

        Rule suspicious = policy.rules().get(1);
        assertThat(suspicious.server()).isNull();
        assertThat(suspicious.live()).isFalse();
        assertThat(suspicious.caps()).isEqualTo(Rule.Caps.NONE);
        assertThat(suspicious.steps().get(0).parameters()).isEqualTo(Map.of("paths", List.of("${file.path}"), "allowedPaths", List.of("/tmp/**")));
        assertThat(suspicious.steps().get(1).parameters())
                .isEqualTo(Map.of("sensor", "Trace Executed Processes", "parameters", Map.of("ProcessPath", "${process.name}")));

        Rule vip = policy.rules().get(2);
        assertThat(vip.steps()).extracting(Step::type).containsExactly("direct-connect");
        assertThat(vip.steps().get(0).isRemediation()).isFalse();

        assertThat(policy.defaultRule().name()).isEqualTo("default");
        assertThat(policy.defaultRule().match()).isEqualTo(RuleMatch.ANY);
        assertThat(policy.defaultRule().steps()).extracting(Step::type).containsExactly("enrich");
        assertThat(policy.defaultRule().live()).isFalse();
    }

    @Test
    void versionIsContentHash() throws Exception {
        Policy a = load(VALID);
        Policy b = load(VALID);
        Policy c = load(VALID.replace("PT30M", "PT31M"));
        assertThat(a.version()).startsWith("sha256:").hasSize("sha256:".length() + 64);
        assertThat(b.version()).isEqualTo(a.version());
        assertThat(c.version()).startsWith("sha256:").isNotEqualTo(a.version());
        assertThat(load(VALID + "# a comment\n").version()).isNotEqualTo(a.version());
    }

    @Test
    void minimalPolicy() throws Exception {
        Policy policy = load("default: {steps: [snapshot]}\n");
        assertThat(policy.rules()).isEmpty();
        assertThat(policy.staleAfter()).isNull();
        assertThat(policy.packageAllowlist()).isEmpty();
        assertThat(policy.defaultRule().steps()).extracting(Step::type).containsExactly("snapshot");
    }

    @Test
    void staleAfterAcceptsLowerCase() throws Exception {
        assertThat(load("staleAfter: pt2h\ndefault: {steps: [enrich]}\n").staleAfter()).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void directConnectKillIsRemediation() throws Exception {
        Policy policy = load("""
                default:
                  steps:
                    - direct-connect: {triage: [processes], kill: {process: alert}}
                """);
        Step step = policy.defaultRule().steps().get(0);
        assertThat(step.parameters()).isEqualTo(Map.of("triage", List.of("processes"), "kill", Map.of("process", "alert")));
        assertThat(step.isRemediation()).isTrue();
    }

    // ---------------------------------------------------------------- first match wins

    @Test
    void firstMatchWins() throws Exception {
        Policy policy = load(VALID);

        // matches ransomware (listed first) and would also match suspicious-rule
        CanonicalAlert both = alert("splunk", "ransomware", "Suspicious encryption", "critical", "h", "1.2.3.4", List.of());
        assertThat(policy.firstMatch(both, "secondary").name()).isEqualTo("ransomware");

        // source not in set -> falls through to suspicious-rule
        CanonicalAlert otherSource = alert("crowdstrike", "ransomware", "Suspicious encryption", "critical", "h", "1.2.3.4",
                List.of());
        assertThat(policy.firstMatch(otherSource, "primary").name()).isEqualTo("suspicious-rule");

        // nothing matches -> default
        CanonicalAlert nothing = alert("crowdstrike", "ransomware", "Benign", "critical", "h", "1.2.3.4", List.of());
        assertThat(policy.firstMatch(nothing, "primary")).isSameAs(policy.defaultRule());
    }

    @Test
    void severityAtLeastOrdering() throws Exception {
        Policy policy = load(VALID);
        for (String severity : List.of("high", "critical")) {
            assertThat(policy.firstMatch(alert("elastic", "ransomware", "x", severity, "h", "1.1.1.1", null), null).name())
                    .as(severity).isEqualTo("ransomware");
        }
        for (String severity : List.of("informational", "low", "medium")) {
            assertThat(policy.firstMatch(alert("elastic", "ransomware", "x", severity, "h", "1.1.1.1", null), null).name())
                    .as(severity).isEqualTo("default");
        }
        assertThat(policy.firstMatch(alert("elastic", "ransomware", "x", "unknown", "h", "1.1.1.1", null), null).name())
                .isEqualTo("default");
        assertThat(policy.firstMatch(alert("elastic", "ransomware", "x", "bogus", "h", "1.1.1.1", null), null).name())
                .isEqualTo("default");

        Policy low = load("""
                rules:
                  - name: low-and-up
                    match: {severityAtLeast: low}
                    steps: [snapshot]
                default: {steps: [enrich]}
                """);
        assertThat(low.firstMatch(alert("s", "t", "r", "informational", "h", "i", null), null).name()).isEqualTo("default");
        assertThat(low.firstMatch(alert("s", "t", "r", "low", "h", "i", null), null).name()).isEqualTo("low-and-up");
        assertThat(low.firstMatch(alert("s", "t", "r", "medium", "h", "i", null), null).name()).isEqualTo("low-and-up");
    }

    @Test
    void typeAndRuleRegex() throws Exception {
        Policy policy = load(VALID);
        // type must be in the set
        assertThat(policy.firstMatch(alert("splunk", "malware", "x", "critical", "h", "i", null), null).name()).isEqualTo("default");
        // rule regex is whole-value and case-insensitive
        assertThat(policy.firstMatch(alert("s", "t", "suspicious login", "low", "h", "i", null), null).name())
                .isEqualTo("suspicious-rule");
        assertThat(policy.firstMatch(alert("s", "t", "Very Suspicious login", "low", "h", "i", null), null).name())
                .isEqualTo("default");
        assertThat(policy.firstMatch(alert("s", "t", null, "low", "h", "i", null), null).name()).isEqualTo("default");
    }

    @Test
    void tagsHostnameIpAndServer() throws Exception {
        Policy policy = load(VALID);
        CanonicalAlert vip = alert("s", "t", "r", "low", "CEO-Laptop", "10.1.2.3", List.of("other", "exec"));
        assertThat(policy.firstMatch(vip, "primary").name()).isEqualTo("vip-hosts");
        // hostname regex is case-insensitive
        assertThat(policy.firstMatch(alert("s", "t", "r", "low", "ceo-laptop", "10.1.2.3", List.of("vip")), "primary").name())
                .isEqualTo("vip-hosts");
        // wrong server
        assertThat(policy.firstMatch(vip, "secondary").name()).isEqualTo("default");
        assertThat(policy.firstMatch(vip, null).name()).isEqualTo("default");
        // no matching tag / no tags
        assertThat(policy.firstMatch(alert("s", "t", "r", "low", "ceo-x", "10.1.2.3", List.of("other")), "primary").name())
                .isEqualTo("default");
        assertThat(policy.firstMatch(alert("s", "t", "r", "low", "ceo-x", "10.1.2.3", null), "primary").name())
                .isEqualTo("default");
        // hostname must match whole value
        assertThat(policy.firstMatch(alert("s", "t", "r", "low", "the-ceo-x", "10.1.2.3", List.of("vip")), "primary").name())
                .isEqualTo("default");
        // ip regex: dots are literal
        assertThat(policy.firstMatch(alert("s", "t", "r", "low", "ceo-x", "10x1.2.3", List.of("vip")), "primary").name())
                .isEqualTo("default");
        assertThat(policy.firstMatch(alert("s", "t", "r", "low", "ceo-x", "10.2.2.3", List.of("vip")), "primary").name())
                .isEqualTo("default");
        assertThat(policy.firstMatch(alert("s", "t", "r", "low", "ceo-x", null, List.of("vip")), "primary").name())
                .isEqualTo("default");
    }

    // ---------------------------------------------------------------- single problems, exact lines

    @Test
    void invalidYamlSyntax() {
        List<String> problems = problems("""
                default:
                  steps: [enrich
                rules: []
                """);
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0)).startsWith(FILE + ":3: not valid YAML");
    }

    @Test
    void invalidYamlSyntaxBadIndentation() {
        List<String> problems = problems("""
                default:
                  steps:
                    - enrich
                   - snapshot
                """);
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0)).startsWith(FILE + ":4: not valid YAML");
    }

    @Test
    void emptyFile() {
        assertThat(problems("")).containsExactly(FILE + ":1: the policy file is empty");
        assertThat(problems("# only a comment\n\n")).containsExactly(FILE + ":1: the policy file is empty");
    }

    @Test
    void notAMapping() {
        assertThat(problems("\n- enrich\n")).anySatisfy(p -> assertThat(p).startsWith(FILE + ":2: the policy must be a mapping"));
    }

    @Test
    void unknownTopKey() {
        assertThat(problems("""
                staleAfter: PT1H
                rulez: []
                default: {steps: [enrich]}
                """)).singleElement().asString().startsWith(FILE + ":2: unknown key 'rulez' in the policy");
    }

    @Test
    void duplicateKey() {
        assertThat(problems("""
                default: {steps: [enrich]}
                staleAfter: PT1H
                staleAfter: PT2H
                """)).singleElement().asString().isEqualTo(FILE + ":3: key 'staleAfter' appears twice in the policy");
    }

    @Test
    void unknownStepType() {
        assertThat(problems("""
                rules:
                  - name: r1
                    steps:
                      - enrich
                      - snapshott
                default: {steps: [enrich]}
                """)).singleElement().asString().startsWith(FILE + ":5: unknown step 'snapshott'");
    }

    @Test
    void unknownStepTypeWithParameters() {
        assertThat(problems("""
                default:
                  steps:
                    - enrich
                    - ask: {sensor: x}
                """)).singleElement().asString().startsWith(FILE + ":4: unknown step 'ask'");
    }

    @Test
    void unknownStepParameter() {
        assertThat(problems("""
                default:
                  steps:
                    - question:
                        sensor: x
                        filters: y
                """)).singleElement().asString().startsWith(FILE + ":5: unknown key 'filters' in the parameters of step 'question'");
    }

    @Test
    void actionAndQuestionParametersAreCheckedByTheirStepTypes() {
        assertThat(problems("""
                packages:
                  allowlist: [Kill Process]
                default:
                  steps:
                    - action: {package: Kill Process, targetGroup: abc, completionPercent: 101, approvalDeadline: 1h, expireSeconds: -5}
                    - question: {sensor: "Trace DNS Queries\\" or x", window: PT-1H, maxRows: 0, parameters: {Bad-Key: x, Range: "${window.middle}"}}
                """)).containsExactlyInAnyOrder(
                FILE + ":5: 'targetGroup' must be a whole number of zero or more, not 'abc'",
                FILE + ":5: 'expireSeconds' must be a whole number of zero or more, not '-5'",
                FILE + ":5: 'completionPercent' must be a whole number from 0 to 100, not '101'",
                FILE + ":5: 'approvalDeadline' must be an ISO-8601 duration such as PT1H, not '1h'",
                FILE + ":6: sensor 'Trace DNS Queries\" or x' may hold only letters, digits, spaces and . _ - (it is written into the question text)",
                FILE + ":6: 'window' must not be negative",
                FILE + ":6: 'maxRows' must be a whole number from 1 to 999999, not '0'",
                FILE + ":6: sensor parameter 'Bad-Key' is not a parameter key (letters, digits and _)",
                FILE + ":6: sensor parameter Range refers to 'window.middle'; the window has start and end");
    }

    @Test
    void stepWithTwoTypes() {
        assertThat(problems("""
                default:
                  steps:
                    - {enrich: {}, snapshot: {}}
                """)).singleElement().asString().startsWith(FILE + ":3: a step is a step type");
    }

    @Test
    void unknownRuleKey() {
        assertThat(problems("""
                rules:
                  - name: r1
                    priority: 3
                    steps: [enrich]
                default: {steps: [enrich]}
                """)).singleElement().asString().startsWith(FILE + ":3: unknown key 'priority' in a rule");
    }

    @Test
    void unknownMatchKey() {
        assertThat(problems("""
                rules:
                  - name: r1
                    match:
                      source: splunk
                      severity: high
                    steps: [enrich]
                default: {steps: [enrich]}
                """)).singleElement().asString().startsWith(FILE + ":5: unknown key 'severity' in 'match'");
    }

    @Test
    void unknownServerOnRule() {
        assertThat(problems("""
                rules:
                  - name: r1
                    server: tertiary
                    steps: [enrich]
                default: {steps: [enrich]}
                """)).singleElement().asString().startsWith(FILE + ":3: unknown Tanium server 'tertiary'");
    }

    @Test
    void unknownServerInMatch() {
        assertThat(problems("""
                rules:
                  - name: r1
                    match:
                      server: [primary, nowhere]
                    steps: [enrich]
                default: {steps: [enrich]}
                """)).singleElement().asString().startsWith(FILE + ":4: unknown Tanium server 'nowhere'");
    }

    @Test
    void packageNotOnAllowlist() {
        assertThat(problems("""
                packages:
                  allowlist: [Kill Process]
                default:
                  steps:
                    - enrich
                    - action: {package: Format Disk}
                """)).singleElement().asString()
                .isEqualTo(FILE + ":6: package 'Format Disk' is not on the allowlist (packages.allowlist)");
    }

    @Test
    void packageWithoutAllowlist() {
        assertThat(problems("""
                default:
                  steps:
                    - action: {package: Kill Process}
                """)).singleElement().asString().startsWith(FILE + ":3: package 'Kill Process' is not on the allowlist");
    }

    @Test
    void actionWithoutPackage() {
        assertThat(problems("""
                packages: {allowlist: [Kill Process]}
                default:
                  steps:
                    - action
                """)).singleElement().asString().isEqualTo(FILE + ":4: step 'action' needs a 'package'");
    }

    @Test
    void templateNamingUnknownField() {
        assertThat(problems("""
                packages: {allowlist: [Kill Process]}
                default:
                  steps:
                    - enrich
                    - action:
                        package: Kill Process
                        parameters:
                          $1: "${process.pid}"
                          $2: {value: "${process.user}"}
                """)).singleElement().asString()
                .startsWith(FILE + ":5: parameter $2 refers to unknown alert field 'process.user'");
    }

    @Test
    void templateWithBadPattern() {
        assertThat(problems("""
                packages: {allowlist: [Kill Process]}
                default:
                  steps:
                    - action:
                        package: Kill Process
                        parameters:
                          $1: {value: "${process.pid}", pattern: "[0-9"}
                """)).singleElement().asString().startsWith(FILE + ":4: parameter $1 has an invalid pattern");
    }

    @Test
    void templateWithBadMaxLengthOrType() {
        // these would otherwise load and fail only at render time (NumberFormatException / no integer check)
        assertThat(problems("""
                packages: {allowlist: [Kill Process]}
                default:
                  steps:
                    - action:
                        package: Kill Process
                        parameters:
                          $1: {value: "${process.pid}", type: int}
                          $2: {value: "${hostname}", maxLength: ten}
                          $3: {value: "${hostname}", maxLength: 12, type: integer}
                """)).satisfiesExactly(
                        p -> assertThat(p).startsWith(FILE + ":4: parameter $1 has an unknown type 'int'"),
                        p -> assertThat(p).startsWith(FILE + ":4: parameter $2 has an invalid maxLength 'ten'"));
    }

    @Test
    void parametersNotAMap() {
        assertThat(problems("""
                packages: {allowlist: [Kill Process]}
                default:
                  steps:
                    - action:
                        package: Kill Process
                        parameters: ["${process.pid}"]
                """)).singleElement().asString().startsWith(FILE + ":4: 'parameters' must map parameter keys");
    }

    @Test
    void badRegex() {
        assertThat(problems("""
                rules:
                  - name: r1
                    match:
                      rule: "Suspicious (.*"
                    steps: [enrich]
                  - name: r2
                    match:
                      hostname: ["ok-.*", "*bad"]
                    steps: [enrich]
                default: {steps: [enrich]}
                """)).satisfiesExactly(
                        p -> assertThat(p).startsWith(FILE + ":4: invalid pattern 'Suspicious (.*'"),
                        p -> assertThat(p).startsWith(FILE + ":8: invalid pattern '*bad'"));
    }

    @Test
    void badDuration() {
        assertThat(problems("""
                default: {steps: [enrich]}
                staleAfter: 30 minutes
                """)).singleElement().asString()
                .isEqualTo(FILE + ":2: staleAfter must be an ISO-8601 duration such as PT30M, was '30 minutes'");
    }

    @Test
    void badSeverity() {
        assertThat(problems("""
                rules:
                  - name: r1
                    match:
                      severityAtLeast: severe
                    steps: [enrich]
                default: {steps: [enrich]}
                """)).singleElement().asString().startsWith(FILE + ":4: severityAtLeast must be one of");
    }

    @Test
    void badLiveAndCaps() {
        assertThat(problems("""
                rules:
                  - name: r1
                    live: yes
                    caps:
                      perMinute: -1
                      perEndpointPerHour: lots
                      perDay: 3
                    steps: [enrich]
                default: {steps: [enrich]}
                """)).satisfiesExactlyInAnyOrder(
                        p -> assertThat(p).isEqualTo(FILE + ":3: 'live' must be true or false"),
                        p -> assertThat(p).startsWith(FILE + ":7: unknown key 'perDay' in 'caps'"),
                        p -> assertThat(p).startsWith(FILE + ":5: a cap must be a whole number of zero or more, was '-1'"),
                        p -> assertThat(p).startsWith(FILE + ":6: a cap must be a whole number of zero or more, was 'lots'"));
    }

    @Test
    void missingDefaultRule() {
        assertThat(problems("""
                rules:
                  - name: r1
                    steps: [enrich]
                """)).singleElement().asString().startsWith(FILE + ":1: the policy needs a 'default' rule");
    }

    @Test
    void defaultRuleTakesNoMatch() {
        assertThat(problems("""
                default:
                  match: {source: splunk}
                  steps: [enrich]
                """)).singleElement().asString().startsWith(FILE + ":2: the default rule matches every alert");
    }

    @Test
    void duplicateRuleNames() {
        assertThat(problems("""
                rules:
                  - name: same
                    steps: [enrich]
                  - name: other
                    steps: [enrich]
                  - name: same
                    steps: [snapshot]
                default: {steps: [enrich]}
                """)).singleElement().asString().isEqualTo(FILE + ":6: rule name 'same' is used twice");
    }

    @Test
    void missingSteps() {
        assertThat(problems("""
                rules:
                  - name: r1
                    match: {source: splunk}
                default: {steps: [enrich]}
                """)).singleElement().asString().isEqualTo(FILE + ":2: rule 'r1' needs a non-empty list of 'steps'");
    }

    @Test
    void emptySteps() {
        assertThat(problems("""
                rules:
                  - name: r1
                    steps: []
                default: {steps: [enrich]}
                """)).singleElement().asString().isEqualTo(FILE + ":3: rule 'r1' needs a non-empty list of 'steps'");
    }

    @Test
    void stepsNotAList() {
        assertThat(problems("""
                rules:
                  - name: r1
                    steps: enrich
                default: {steps: [enrich]}
                """)).singleElement().asString().isEqualTo(FILE + ":3: rule 'r1' needs a non-empty list of 'steps'");
    }

    @Test
    void defaultWithoutSteps() {
        assertThat(problems("""
                staleAfter: PT1H
                default: {}
                """)).singleElement().asString().isEqualTo(FILE + ":2: rule 'default' needs a non-empty list of 'steps'");
    }

    @Test
    void rulesNotAList() {
        assertThat(problems("""
                rules: {name: r1}
                default: {steps: [enrich]}
                """)).singleElement().asString().isEqualTo(FILE + ":1: 'rules' must be a list of rules");
    }

    // ---------------------------------------------------------------- several problems at once

    @Test
    void severalProblemsReportedTogether() {
        List<String> problems = problems("""
                staleAfter: soon
                packages:
                  allowlist: [Kill Process]
                rules:
                  - name: r1
                    server: nowhere
                    match:
                      severityAtLeast: huge
                      colour: red
                    steps:
                      - snapshott
                      - action: {package: Wipe}
                  - name: r1
                    steps: []
                """);
        assertThat(problems).containsExactlyInAnyOrder(
                FILE + ":1: staleAfter must be an ISO-8601 duration such as PT30M, was 'soon'",
                FILE + ":9: unknown key 'colour' in 'match'; allowed: [hostname, ip, rule, server, severityAtLeast, source, tags, type]",
                FILE + ":8: severityAtLeast must be one of [informational, low, medium, high, critical]",
                FILE + ":6: unknown Tanium server 'nowhere'; configured: " + Set.of("primary", "secondary"),
                FILE + ":11: unknown step 'snapshott'; known steps: " + AllStepTypes.ALL.names(),
                FILE + ":12: package 'Wipe' is not on the allowlist (packages.allowlist)",
                FILE + ":14: rule 'r1' needs a non-empty list of 'steps'",
                FILE + ":1: the policy needs a 'default' rule (for example: default: {steps: [enrich]})",
                FILE + ":13: rule name 'r1' is used twice");
        assertThat(problems).allSatisfy(p -> assertThat(p).matches(FILE.replace(".", "\\.") + ":\\d+: .+"));
    }
}
