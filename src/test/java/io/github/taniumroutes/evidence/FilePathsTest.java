package io.github.taniumroutes.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The path policy: what may be asked of an endpoint, on either platform, whatever an alert put into the path. */
class FilePathsTest {

    private static final List<String> LINUX = List.of("/var/log/**", "/opt/cryptosense/traces/*.cst.gz", "/home/*/Downloads/**");
    private static final List<String> WINDOWS = List.of("C:\\Users\\*\\Downloads\\**", "c:/ProgramData/Cryptosense/traces/*.gz");

    private final FilePaths paths = new FilePaths();

    private String linux(String path) throws FilePaths.Refused {
        return paths.check(path, "Linux", LINUX);
    }

    private String windows(String path) throws FilePaths.Refused {
        return paths.check(path, "Windows", WINDOWS);
    }

    @Test
    void anAllowedPathIsSentNormalised() throws Exception {
        assertThat(linux("/var/log/auth.log")).isEqualTo("/var/log/auth.log");
        assertThat(linux("/var//log/./nginx/access.log")).isEqualTo("/var/log/nginx/access.log");
        assertThat(paths.check("/opt/cryptosense/traces/trace.cst.gz", "Mac", LINUX)).isEqualTo("/opt/cryptosense/traces/trace.cst.gz");
        assertThat(windows("c:/Users/alice/Downloads/invoice.pdf.exe")).isEqualTo("C:\\Users\\alice\\Downloads\\invoice.pdf.exe");
        assertThat(windows("C:\\ProgramData\\CRYPTOSENSE\\traces\\trace.cst.gz")).as("Windows patterns ignore case")
                .isEqualTo("C:\\ProgramData\\CRYPTOSENSE\\traces\\trace.cst.gz");
        assertThat(windows("C:\\Users\\bob\\Downloads\\..x\\y..z")).as("dots inside a name are not segments")
                .isEqualTo("C:\\Users\\bob\\Downloads\\..x\\y..z");
    }

    @Test
    void nonAsciiNamesArePaths() throws Exception {
        assertThat(windows("C:\\Users\\José\\Downloads\\résumé.docx")).isEqualTo("C:\\Users\\José\\Downloads\\résumé.docx");
        assertThat(linux("/home/ユーザー/Downloads/報告.pdf")).isEqualTo("/home/ユーザー/Downloads/報告.pdf");
    }

    @Test
    void aPathOutsideThePatternsIsRefusedAndSaysSo() {
        assertThatThrownBy(() -> linux("/etc/shadow")).isInstanceOf(FilePaths.Refused.class)
                .hasMessage("the path '/etc/shadow' matches none of the rule's allowed path patterns for this platform (allowedPaths)");
        assertThatThrownBy(() -> linux("/home/alice/Downloads")).as("** under a directory, not the directory").isInstanceOf(FilePaths.Refused.class);
        assertThatThrownBy(() -> linux("/opt/cryptosense/traces/sub/trace.cst.gz")).as("* stays within a segment")
                .isInstanceOf(FilePaths.Refused.class);
        assertThatThrownBy(() -> linux("/VAR/log/auth.log")).as("case matters off Windows").isInstanceOf(FilePaths.Refused.class);
        assertThatThrownBy(() -> paths.check("C:\\Users\\a\\Downloads\\x", "Linux", List.of("C:\\Users\\**")))
                .as("a Windows path on a Linux endpoint").hasMessageContaining("not absolute");
        assertThatThrownBy(() -> paths.check("/var/log/x", "Windows", List.of("/var/log/**"))).hasMessageContaining("not an absolute Windows path");
        assertThatThrownBy(() -> paths.check("/var/log/x", null, LINUX)).hasMessageContaining("platform is unknown");
        assertThatThrownBy(() -> paths.check("/var/log/x", "Linux", null)).hasMessageContaining("matches none");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/var/log/../../etc/shadow", "/var/log/..", "/var/log/%2e%2e/%2e%2e/etc/shadow", "/var/log/..%2fetc",
            "var/log/auth.log", "./var/log/auth.log", "~root/.ssh/id_rsa", "/var/log\\..\\..\\etc\\shadow", "",
            "/var/log/a\u0000.log", "/var/log/a\n.log", "/var/log/a\r\nb", "/var/log/\u202egol.exe", "/var/log/a\u200b", "/var/log/\ufffd",
            "/var/log/\ud800x", "/var/log/\uff0e\uff0e\uff0fetc", "/var/log/a\u2028b", "/var/log/a\tb", "/var/log/\u00ad"})
    void traversalEncodingsAndInvisibleCharactersAreRefusedOnLinux(String path) {
        assertThatThrownBy(() -> linux(path)).isInstanceOf(FilePaths.Refused.class)
                .satisfies(refused -> assertThat(refused.getMessage()).doesNotContain("\u0000", "\n", "\r"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"C:\\Users\\a\\Downloads\\..\\..\\..\\Windows\\System32\\config\\SAM", "C:/Users/a/Downloads/../../x",
            "\\\\?\\C:\\Users\\a\\Downloads\\x", "\\\\.\\PhysicalDrive0", "\\??\\C:\\Users\\a\\Downloads\\x", "//?/C:/Users/a/Downloads/x",
            "\\\\fileserver\\share\\Users\\a\\Downloads\\x", "C:Users\\a\\Downloads\\x", "\\Users\\a\\Downloads\\x",
            "C:\\Users\\a\\Downloads\\x.txt:hidden", "C:\\Users\\a\\Downloads\\x::$DATA", "C:\\Users\\a\\Downloads\\CON",
            "C:\\Users\\a\\Downloads\\nul.txt", "C:\\Users\\a\\Downloads\\COM1.log", "C:\\Users\\a\\Downloads\\LPT\u00b9",
            "C:\\Users\\a\\Downloads\\conin$", "C:\\Users\\a\\Downloads\\x.", "C:\\Users\\a\\Downloads\\x ", "C:\\Users\\a\\Downloads\\*.exe",
            "C:\\Users\\a\\Downloads\\x?.exe", "C:\\Users\\a\\Downloads\\a|b", "C:\\Users\\%USERNAME%\\Downloads\\x",
            "C:\\Users\\a\\Downloads\\x\u0000.exe", "C:\\Users\\a\\Downloads\\\uff3c..\uff3cx", "C:\\Users\\a\\Downloads\\x\u202e"})
    void traversalDevicesAndPrefixesAreRefusedOnWindows(String path) {
        assertThatThrownBy(() -> windows(path)).isInstanceOf(FilePaths.Refused.class);
    }

    @Test
    void theReasonNamesWhatIsWrong() {
        assertThatThrownBy(() -> linux("/var/log/../x")).hasMessage("the path holds a '..' segment");
        assertThatThrownBy(() -> linux("/var/log/a\u0000")).hasMessage("the path holds a NUL character (U+0000 at position 11)");
        assertThatThrownBy(() -> windows("\\\\?\\C:\\x")).hasMessageContaining("extended-length prefix");
        assertThatThrownBy(() -> windows("\\\\srv\\share\\x")).hasMessageContaining("UNC");
        assertThatThrownBy(() -> windows("C:\\Users\\a\\Downloads\\NUL.txt")).hasMessageContaining("names the Windows device NUL");
        assertThatThrownBy(() -> windows("C:\\Users\\a\\Downloads\\\uff0f")).hasMessageContaining("look-alike of '/'");
        assertThatThrownBy(() -> linux("/var/log/" + "a".repeat(FilePaths.MAX_LENGTH))).hasMessageContaining("longer than 1024");
    }

    @Test
    void patternsAreCheckedWhenThePolicyIsRead() {
        assertThat(FilePaths.patternProblem("/var/log/**")).isNull();
        assertThat(FilePaths.patternProblem("C:\\Users\\*\\Downloads\\*.exe")).isNull();
        assertThat(FilePaths.patternProblem("var/log/*")).contains("not absolute");
        assertThat(FilePaths.patternProblem("/var/log/../**")).contains("'..'");
        assertThat(FilePaths.patternProblem("\\\\server\\share\\**")).contains("not absolute");
        assertThat(FilePaths.patternProblem("")).contains("empty");
        assertThat(FilePaths.allowedSomewhere("/opt/cryptosense/traces/trace.cst.gz", LINUX)).isTrue();
        assertThat(FilePaths.allowedSomewhere("/etc/passwd", LINUX)).isFalse();
        assertThat(FilePaths.allowedSomewhere("C:\\ProgramData\\Cryptosense\\traces\\t.gz", WINDOWS)).isTrue();
    }
}
