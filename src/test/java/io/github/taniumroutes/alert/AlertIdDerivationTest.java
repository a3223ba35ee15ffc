package io.github.taniumroutes.alert;

import static io.github.taniumroutes.alert.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** Source ids are prefixed with the source; alerts without one get {@code <format>:sha256:<digest of the record>}. */
class AlertIdDerivationTest {

    private final AlertParser parser = parser();

    @Test
    void threatResponseAlertWithoutIdGetsFormatPrefixedSha256OfTheRecordBytes() throws Exception {
        ObjectNode alert = tree(THREAT_RESPONSE);
        alert.remove("id");
        byte[] value = toBytes(alert);

        CanonicalAlert parsed = parser.parse(value);

        assertThat(parsed.id()).isEqualTo("tanium-threat-response:sha256:" + sha256Hex(value));
        assertThat(parsed.id()).matches("tanium-threat-response:sha256:[0-9a-f]{64}");
    }

    @Test
    void elasticAlertRecognisedByRuleUuidButWithoutAlertUuidGetsDerivedId() throws Exception {
        ObjectNode alert = tree(ELASTIC_FLATTENED);
        alert.remove("kibana.alert.uuid");
        byte[] value = toBytes(alert);

        assertThat(parser.parse(value).id()).isEqualTo("elastic-security:sha256:" + sha256Hex(value));
    }

    @Test
    void splunkWebhookWithoutNotableIdsAndNullSidGetsDerivedId() throws Exception {
        ObjectNode webhook = tree(SPLUNK);
        webhook.putNull("sid");
        splunkResult(webhook).remove("event_id");
        splunkResult(webhook).remove("event_hash");
        byte[] value = toBytes(webhook);

        assertThat(parser.parse(value).id()).isEqualTo("splunk-notable:sha256:" + sha256Hex(value));
    }

    @Test
    void canonicalAlertWithNullIdGetsDerivedId() throws Exception {
        ObjectNode alert = tree(CANONICAL);
        alert.putNull("id");
        byte[] value = toBytes(alert);

        assertThat(parser.parse(value).id()).isEqualTo("canonical:sha256:" + sha256Hex(value));
    }

    @Test
    void derivedIdIsStableForIdenticalBytesAndDiffersWhenBytesDiffer() throws Exception {
        ObjectNode alert = tree(THREAT_RESPONSE);
        alert.remove("id");
        byte[] value = toBytes(alert);
        alert.put("state", "resolved");
        byte[] changed = toBytes(alert);

        assertThat(parser.parse(value).id()).isEqualTo(parser.parse(value.clone()).id());
        assertThat(parser.parse(changed).id()).isNotEqualTo(parser.parse(value).id());
    }

    @Test
    void derivedIdKeepsEveryOtherCanonicalField() throws Exception {
        ObjectNode alert = tree(THREAT_RESPONSE);
        CanonicalAlert withId = parser.parse(toBytes(alert));
        alert.remove("id");

        CanonicalAlert withoutId = parser.parse(toBytes(alert));

        assertThat(withoutId).usingRecursiveComparison().ignoringFields("id", "raw").isEqualTo(withId);
        assertThat(withoutId.raw().has("id")).isFalse();
    }

    @Test
    void sha256HelperMatchesKnownDigest() {
        assertThat(AlertParser.sha256("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(AlertParser.sha256(new byte[0]))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void numericSourceIdsArePrefixedAsText() throws Exception {
        ObjectNode alert = tree(THREAT_RESPONSE);
        alert.put("id", 123456789012L);
        assertThat(parser.parse(toBytes(alert)).id()).isEqualTo("tanium-threat-response:123456789012");
    }

    @Test
    void prefixedLeavesNullIdsNull() {
        assertThat(AlertIds.prefixed("splunk-notable", null)).isNull();
        assertThat(AlertIds.prefixed("splunk-notable", "abc")).isEqualTo("splunk-notable:abc");
    }
}
