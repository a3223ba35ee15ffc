package io.github.taniumroutes.alert;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.github.taniumroutes.alert.CanonicalAlert.FileInfo;
import io.github.taniumroutes.alert.CanonicalAlert.ProcessInfo;

class ProcessesTest {

    private static final String SHA256 = "b53f3c0cd32d7f20849850768da6431e5f876b7bfa61db0aa0700b02873393fa";
    private static final String SHA1 = "de0ea47b1d3a1b8d1a3e0c2f7c1c6c9b0f5a9e21";
    private static final String MD5 = "ef3179d498793bf4234f708d3be28633";

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe | msedge.exe",
            "C:\\Windows\\System32\\rundll32.exe                             | rundll32.exe",
            "\\\\fileserver\\share\\tools\\psexec.exe                       | psexec.exe",
            "/usr/bin/curl                                                  | curl",
            "/opt/my app/bin/run.sh                                         | run.sh",
            "C:/Windows/System32/cmd.exe                                    | cmd.exe",
            "C:\\tools/mixed\\seps/agent.exe                                | agent.exe",
            "notepad.exe                                                    | notepad.exe",
    })
    void baseNameStripsWindowsAndPosixDirectories(String path, String expected) {
        assertThat(Processes.baseName(path)).isEqualTo(expected);
    }

    @Test
    void baseNameOfNullIsNullAndOfADirectoryIsEmpty() {
        assertThat(Processes.baseName(null)).isNull();
        assertThat(Processes.baseName("/usr/bin/")).isEmpty();
    }

    @Test
    void preferredHashPassesAPlainHashThrough() {
        assertThat(Processes.preferredHash(SHA256)).isEqualTo(SHA256);
        assertThat(Processes.preferredHash(null)).isNull();
    }

    @Test
    void preferredHashPicksSha256FromASysmonHashListWhateverItsPosition() {
        assertThat(Processes.preferredHash("SHA1=" + SHA1 + ",MD5=" + MD5 + ",SHA256=" + SHA256 + ",IMPHASH=ABCDEF"))
                .isEqualTo(SHA256);
        assertThat(Processes.preferredHash("SHA256=" + SHA256 + ",MD5=" + MD5)).isEqualTo(SHA256);
    }

    @Test
    void preferredHashFallsBackToSha1ThenMd5() {
        assertThat(Processes.preferredHash("MD5=" + MD5 + ",SHA1=" + SHA1)).isEqualTo(SHA1);
        assertThat(Processes.preferredHash("IMPHASH=ABCDEF,MD5=" + MD5)).isEqualTo(MD5);
        assertThat(Processes.preferredHash("IMPHASH=ABCDEF")).as("an import-table hash is not a file hash").isNull();
    }

    @Test
    void preferredHashIgnoresKeyCaseAndWhitespace() {
        assertThat(Processes.preferredHash(" md5 = " + MD5 + " , sha256 = " + SHA256 + " ")).isEqualTo(SHA256);
    }

    @Test
    void preferredHashKeepsTheFirstOfEquallyStrongHashes() {
        assertThat(Processes.preferredHash("SHA256=first,SHA256=second")).isEqualTo("first");
    }

    @Test
    void preferredHashSkipsListEntriesWithoutAnEqualsSign() {
        assertThat(Processes.preferredHash("garbage,MD5=" + MD5)).isEqualTo(MD5);
    }

    @Test
    void ofReturnsNullWhenEverythingIsMissing() {
        assertThat(Processes.of(null, null, null)).isNull();
        assertThat(Processes.of("cmd.exe", null, null)).isEqualTo(new ProcessInfo("cmd.exe", null, null));
        assertThat(Processes.of(null, 4L, null)).isEqualTo(new ProcessInfo(null, 4L, null));
        assertThat(Processes.of(null, null, MD5)).isEqualTo(new ProcessInfo(null, null, MD5));
    }

    @Test
    void fileReturnsNullWhenEverythingIsMissing() {
        assertThat(Processes.file(null, null)).isNull();
        assertThat(Processes.file("/tmp/x", null)).isEqualTo(new FileInfo("/tmp/x", null));
        assertThat(Processes.file(null, SHA1)).isEqualTo(new FileInfo(null, SHA1));
    }
}
