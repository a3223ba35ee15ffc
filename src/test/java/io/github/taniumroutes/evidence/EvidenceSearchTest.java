package io.github.taniumroutes.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Finding a file task's evidence in Threat Response's list of everyone's evidence, in the recorded shapes. */
class EvidenceSearchTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant TASK = Instant.parse("2026-12-07T10:00:00Z");

    private static JsonNode page(String entries, Integer total) throws Exception {
        return MAPPER.readTree("{\"fileEvidence\":[" + entries + "]" + (total == null ? "" : ",\"totalCount\":" + total) + "}");
    }

    private static String entry(String uuid, String host, String path, String downloaded) {
        return "{\"uuid\":\"" + uuid + "\",\"hostname\":\"" + host + "\",\"path\":" + MAPPER.valueToTree(path) + ",\"downloaded\":\"" + downloaded
                + "\",\"hash\":\"99297a0e626ca092ff1884ad28f54453\",\"size\":10485904,\"evidenceType\":\"file\"}";
    }

    @Test
    void theNewestEntryOfTheHostAndPathNotOlderThanTheTaskIsOurs() throws Exception {
        EvidenceSearch search = new EvidenceSearch("db-prod-01.corp.example", "/var/log/auth.log", false, null, TASK, 3, 10);

        search.read(page(String.join(",",
                entry("analysts", "db-prod-01.corp.example", "/var/log/auth.log", "2026-12-07 09:30:00.000"),
                entry("other-host", "web-01", "/var/log/auth.log", "2026-12-07 10:00:05.000"),
                entry("ours", "db-prod-01", "/var/log/auth.log", "2026-12-07 10:00:01.500")), 5));
        assertThat(search.isMorePages()).as("a full page, and the total not reached").isTrue();
        assertThat(search.getOffset()).isEqualTo(3);
        search.read(page(entry("other-path", "db-prod-01.corp.example", "/var/log/syslog", "2026-12-07 10:00:02.000"), 5));

        assertThat(search.isMorePages()).isFalse();
        assertThat(search.found().uuid()).isEqualTo("ours");
        assertThat(search.found().size()).isEqualTo(10485904L);
        assertThat(search.found().hash()).isEqualTo("99297a0e626ca092ff1884ad28f54453");
        assertThat(search.getListed()).isEqualTo(4);
    }

    @Test
    void aWindowsPathMatchesWithItsBackslashesDoubledAndInAnyCase() throws Exception {
        EvidenceSearch search = new EvidenceSearch("WS-0142", "C:\\Users\\alice\\Downloads\\x.exe", true, null, TASK, 100, 10);

        search.read(page(entry("doubled", "ws-0142", "c:\\\\users\\\\ALICE\\\\downloads\\\\x.exe", "2026-12-07 10:00:03.000"), 1));

        assertThat(search.found().uuid()).isEqualTo("doubled");
        EvidenceSearch linux = new EvidenceSearch("h", "/Var/log/x", false, null, TASK, 100, 10);
        linux.read(page(entry("case", "h", "/var/log/x", "2026-12-07 10:00:03.000"), 1));
        assertThat(linux.found()).as("case matters off Windows").isNull();
    }

    @Test
    void aListedConnectionOrCreationTimeIsUsedWhenPresent() throws Exception {
        EvidenceSearch search = new EvidenceSearch("h", "/x", false, "remote:h:1:2", TASK, 100, 10);

        search.read(MAPPER.readTree("{\"data\":{\"fileEvidence\":["
                + "{\"uuid\":\"another-connection\",\"hostname\":\"h\",\"path\":\"/x\",\"connectionId\":\"remote:h:1:9\",\"createdAt\":\"2026-12-07T10:00:09Z\"},"
                + "{\"uuid\":\"ours\",\"hostname\":\"h\",\"path\":\"/x\",\"connectionId\":\"remote:h:1:2\",\"createdAt\":1796637603000}]}}"));

        assertThat(search.found().uuid()).isEqualTo("ours");
    }

    @Test
    void theListIsReadWithinItsPageBudgetAndAnUnreadableReplyIsAnError() throws Exception {
        EvidenceSearch search = new EvidenceSearch("h", "/x", false, null, TASK, 1, 2);
        search.read(page(entry("a", "x", "/y", "2026-12-07 10:00:03.000"), null));
        assertThat(search.isMorePages()).isTrue();
        search.read(page(entry("b", "x", "/y", "2026-12-07 10:00:03.000"), null));
        assertThat(search.isMorePages()).as("two pages at most").isFalse();
        assertThat(search.found()).isNull();

        assertThatThrownBy(() -> search.read(MAPPER.readTree("{\"text\":\"Not Found\"}"))).hasMessageContaining("no fileEvidence");
    }

    @Test
    void taniumsTimesAreRead() {
        assertThat(EvidenceSearch.time(MAPPER.getNodeFactory().textNode("2020-01-15 13:04:02.827"))).isEqualTo(Instant.parse("2020-01-15T13:04:02.827Z"));
        assertThat(EvidenceSearch.time(MAPPER.getNodeFactory().textNode("2020-01-15 13:04:02"))).isEqualTo(Instant.parse("2020-01-15T13:04:02Z"));
        assertThat(EvidenceSearch.time(MAPPER.getNodeFactory().textNode("2021-09-14T08:48:37.465Z"))).isEqualTo(Instant.parse("2021-09-14T08:48:37.465Z"));
        assertThat(EvidenceSearch.time(MAPPER.getNodeFactory().numberNode(1000L))).isEqualTo(Instant.ofEpochMilli(1000));
        assertThat(EvidenceSearch.time(MAPPER.getNodeFactory().textNode("yesterday"))).isNull();
        assertThat(EvidenceSearch.sameHost("db-prod-01", "DB-PROD-01.corp.example")).isTrue();
        assertThat(EvidenceSearch.sameHost("db-prod-01", "db-prod-010")).isFalse();
    }
}
