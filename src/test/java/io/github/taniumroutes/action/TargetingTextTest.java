package io.github.taniumroutes.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.github.taniumroutes.investigation.Target;

/** Every alert value is one quoted string of Tanium's question syntax: nothing can add a clause or change an operator. */
class TargetingTextTest {

    private static Target target(String name, String computerId, String ip) {
        return new Target(computerId, name, ip, "Windows", "1003");
    }

    @Test
    void namesTheEndpointByNameAndComputerId() throws Exception {
        assertThat(TargetingText.of(target("WS-0142", "9065203", "10.20.30.41")))
                .isEqualTo("Computer Name equals \"WS-0142\" and Computer ID equals \"9065203\"");
    }

    @Test
    void withoutAComputerIdTheIpAddressNarrowsTheName() throws Exception {
        assertThat(TargetingText.of(target("WS-0142", null, "10.20.30.41")))
                .isEqualTo("Computer Name equals \"WS-0142\" and IP Address equals \"10.20.30.41\"");
        assertThat(TargetingText.of(target("WS-0142", null, null))).isEqualTo("Computer Name equals \"WS-0142\"");
    }

    @Test
    void anIpv6AddressIsOneQuotedValue() throws Exception {
        assertThat(TargetingText.of(target("DESKTOP-IV7QEMU", null, "fe80::fd89:64e2:73b:3074")))
                .endsWith("IP Address equals \"fe80::fd89:64e2:73b:3074\"");
    }

    @Test
    void aQuoteIsDoubledSoItCannotCloseTheStringAndAddAClause() throws Exception {
        String hostile = "WS-0142\" or Computer Name contains \"";
        assertThat(TargetingText.quoted("computer name", hostile))
                .isEqualTo("\"WS-0142\"\" or Computer Name contains \"\"\"");
        // Read back as Tanium reads it: one string, from the first quote to the last, with "" as a quote.
        assertThat(readQuoted(TargetingText.quoted("computer name", hostile))).isEqualTo(hostile);
    }

    @Test
    void reservedWordsSpacesBackslashesAndUnicodeStayInsideTheQuotes() throws Exception {
        for (String value : new String[] {"a and b", "x or y", "QA-LAB\\KIOSK \"7\"", "[x], y: z? $1.", "ÖSTER-Ωμέγα-端末", "equals", " padded "}) {
            String quoted = TargetingText.quoted("computer name", value);
            assertThat(quoted).startsWith("\"").endsWith("\"");
            assertThat(readQuoted(quoted)).as(value).isEqualTo(value);
        }
    }

    @Test
    void controlCharactersAreRefusedNotWritten() {
        for (String value : new String[] {"WS-0142\nComputer Name contains x", "a\rb", "nul\u0000", "tab\tbed", "line\u2028sep"}) {
            assertThatThrownBy(() -> TargetingText.quoted("computer name", value)).as(value)
                    .isInstanceOf(TargetingText.Unsafe.class).hasMessageContaining("control character");
        }
    }

    @Test
    void anEndpointWithoutANameCannotBeTargeted() {
        assertThatThrownBy(() -> TargetingText.of(target(" ", "1", null))).isInstanceOf(TargetingText.Unsafe.class)
                .hasMessageContaining("no computer name");
    }

    /** Tanium's reading of one quoted string: it must span the whole text, "" being one quote inside it. */
    private static String readQuoted(String text) {
        assertThat(text.charAt(0)).isEqualTo('"');
        StringBuilder value = new StringBuilder();
        int i = 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"') {
                if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    value.append('"');
                    i += 2;
                    continue;
                }
                assertThat(i).as("the string ends only at the last character of " + text).isEqualTo(text.length() - 1);
                return value.toString();
            }
            value.append(c);
            i++;
        }
        throw new AssertionError("unterminated: " + text);
    }
}
