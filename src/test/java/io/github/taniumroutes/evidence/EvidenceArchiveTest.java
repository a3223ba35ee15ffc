package io.github.taniumroutes.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.zip.ZipEntry;

import org.junit.jupiter.api.Test;

import net.lingala.zip4j.io.outputstream.ZipOutputStream;
import net.lingala.zip4j.model.ZipParameters;
import net.lingala.zip4j.model.enums.AesKeyStrength;
import net.lingala.zip4j.model.enums.EncryptionMethod;

/** Tanium's evidence archive unpacked as it streams: its one file, exactly hashed, and every zip bomb refused early. */
class EvidenceArchiveTest {

    private static final char[] INFECTED = "infected".toCharArray();
    private static final EvidenceArchive.Limits LIMITS = new EvidenceArchive.Limits(64 << 20, 256 << 20, 100, 1 << 20);

    private final EvidenceArchive archive = new EvidenceArchive();

    @Test
    void thePasswordProtectedArchiveOfOneFileGivesItsBytesSizeAndHash() throws Exception {
        byte[] file = "Jan 12 03:14:15 db-prod-01 sshd[4242]: Accepted publickey for root\n".repeat(50).getBytes(StandardCharsets.UTF_8);
        for (EncryptionMethod method : new EncryptionMethod[] {EncryptionMethod.ZIP_STANDARD, EncryptionMethod.AES, EncryptionMethod.NONE}) {
            EvidenceArchive.Unpacked<Void> unpacked = archive.unpack(new ByteArrayInputStream(zip(method, "auth.log", file)), INFECTED, LIMITS, null);

            assertThat(unpacked.name()).isEqualTo("auth.log");
            assertThat(unpacked.content()).as(method.name()).isEqualTo(file);
            assertThat(unpacked.size()).isEqualTo(file.length);
            assertThat(unpacked.sha256()).isEqualTo(sha256(file));
        }
    }

    @Test
    void aFileLargerThanWhatIsKeptStillHasItsExactSizeAndHash() throws Exception {
        byte[] file = random(300_000);
        EvidenceArchive.Limits keepLittle = new EvidenceArchive.Limits(64 << 20, 256 << 20, 100, 100_000);

        EvidenceArchive.Unpacked<Void> unpacked = archive.unpack(new ByteArrayInputStream(zip(EncryptionMethod.ZIP_STANDARD, "big.bin", file)),
                INFECTED, keepLittle, null);

        assertThat(unpacked.content()).as("not kept").isNull();
        assertThat(unpacked.size()).isEqualTo(300_000);
        assertThat(unpacked.sha256()).isEqualTo(sha256(file));
    }

    @Test
    void anotherPasswordOrSomethingThatIsNoZipIsUnreadable() throws Exception {
        byte[] zipped = zip(EncryptionMethod.ZIP_STANDARD, "auth.log", "secret".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> archive.unpack(new ByteArrayInputStream(zipped), "wrong".toCharArray(), LIMITS, null))
                .isInstanceOfSatisfying(EvidenceArchive.Refused.class, refused -> {
                    assertThat(refused.kind()).isEqualTo(EvidenceArchive.Refused.Kind.UNREADABLE);
                    assertThat(refused.getMessage()).contains("password").doesNotContain("wrong");
                });
        assertThatThrownBy(() -> archive.unpack(new ByteArrayInputStream("{\"text\":\"Not Found\"}".getBytes(StandardCharsets.UTF_8)),
                INFECTED, LIMITS, null)).isInstanceOfSatisfying(EvidenceArchive.Refused.class,
                        refused -> assertThat(refused.kind()).isEqualTo(EvidenceArchive.Refused.Kind.UNREADABLE));
        byte[] cut = java.util.Arrays.copyOf(zipped, zipped.length / 2);
        assertThatThrownBy(() -> archive.unpack(new ByteArrayInputStream(cut), INFECTED, LIMITS, null))
                .isInstanceOfSatisfying(EvidenceArchive.Refused.class,
                        refused -> assertThat(refused.kind()).isEqualTo(EvidenceArchive.Refused.Kind.UNREADABLE));
    }

    @Test
    void entryNamesWithPathComponentsAreRefused() throws Exception {
        for (String name : new String[] {"../../etc/cron.d/evil", "dir/auth.log", "C:\\Windows\\evil.dll", "..", "/etc/passwd", "a:b"}) {
            byte[] zipped = plainZip(new String[] {name}, new byte[][] {{1, 2, 3}});
            assertThatThrownBy(() -> archive.unpack(new ByteArrayInputStream(zipped), INFECTED, LIMITS, null)).as(name)
                    .isInstanceOfSatisfying(EvidenceArchive.Refused.class, refused -> {
                        assertThat(refused.kind()).isEqualTo(EvidenceArchive.Refused.Kind.REFUSED);
                        assertThat(refused.getMessage()).contains("path components");
                    });
        }
        assertThat(EvidenceArchive.nameProblem("dir/", true)).contains("path components");
        assertThat(EvidenceArchive.nameProblem("trace.cst.gz", false)).isNull();
    }

    @Test
    void aSecondEntryIsRefused() throws Exception {
        byte[] zipped = plainZip(new String[] {"auth.log", "more.log"}, new byte[][] {{1}, {2}});
        assertThatThrownBy(() -> archive.unpack(new ByteArrayInputStream(zipped), INFECTED, LIMITS, null))
                .isInstanceOfSatisfying(EvidenceArchive.Refused.class, refused -> {
                    assertThat(refused.kind()).isEqualTo(EvidenceArchive.Refused.Kind.REFUSED);
                    assertThat(refused.getMessage()).contains("more than one entry");
                });
    }

    @Test
    void aZipBombIsRefusedByItsRatioLongBeforeItIsUnpacked() throws Exception {
        byte[] zeros = new byte[64 << 20];
        byte[] bomb = plainZip(new String[] {"zeros.bin"}, new byte[][] {zeros});
        assertThat(bomb.length).as("a small archive").isLessThan(200_000);
        Counting download = new Counting(new ByteArrayInputStream(bomb));

        assertThatThrownBy(() -> archive.unpack(download, INFECTED, LIMITS, null))
                .isInstanceOfSatisfying(EvidenceArchive.Refused.class, refused -> {
                    assertThat(refused.kind()).isEqualTo(EvidenceArchive.Refused.Kind.REFUSED);
                    assertThat(refused.getMessage()).contains("expands more than 100 times");
                    assertThat(refused.bytesAtLeast()).isLessThan(4 << 20);
                });
        assertThat(download.count).as("stopped early").isLessThan(bomb.length);
        // A small file of one repeated byte is no bomb.
        byte[] smallZeros = new byte[500_000];
        assertThat(archive.unpack(new ByteArrayInputStream(plainZip(new String[] {"z"}, new byte[][] {smallZeros})), INFECTED, LIMITS, null)
                .size()).isEqualTo(500_000);
    }

    @Test
    void theUncompressedAndDownloadedSizesAreCapped() throws Exception {
        byte[] file = random(3 << 20);
        byte[] zipped = zip(EncryptionMethod.ZIP_STANDARD, "big.bin", file);

        assertThatThrownBy(() -> archive.unpack(new ByteArrayInputStream(zipped), INFECTED, new EvidenceArchive.Limits(64 << 20, 2 << 20, 100, 1000), null))
                .isInstanceOfSatisfying(EvidenceArchive.Refused.class, refused -> {
                    assertThat(refused.kind()).isEqualTo(EvidenceArchive.Refused.Kind.TOO_LARGE);
                    assertThat(refused.getMessage()).contains("file-evidence.zip.max-uncompressed-bytes");
                    assertThat(refused.bytesAtLeast()).isGreaterThan(2 << 20);
                });
        Counting download = new Counting(new ByteArrayInputStream(zipped));
        assertThatThrownBy(() -> archive.unpack(download, INFECTED, new EvidenceArchive.Limits(1 << 20, 256 << 20, 100, 1000), null))
                .isInstanceOfSatisfying(EvidenceArchive.Refused.class, refused -> {
                    assertThat(refused.kind()).isEqualTo(EvidenceArchive.Refused.Kind.TOO_LARGE);
                    assertThat(refused.getMessage()).contains("file-evidence.max-download-bytes");
                });
        assertThat(download.count).as("no more than the cap and a buffer is read").isLessThan((1 << 20) + 65_536);
    }

    @Test
    void aReaderSeesTheFileAsItStreamsAndItsFailureComesBackWithTheHash() throws Exception {
        byte[] file = "header\nrest of the file".getBytes(StandardCharsets.UTF_8);
        byte[] zipped = zip(EncryptionMethod.ZIP_STANDARD, "trace.cst", file);

        EvidenceArchive.Unpacked<String> firstLine = archive.unpack(new ByteArrayInputStream(zipped), INFECTED, LIMITS,
                in -> new String(in.readNBytes(6), StandardCharsets.UTF_8));
        assertThat(firstLine.read()).isEqualTo("header");
        assertThat(firstLine.sha256()).as("the rest is hashed too").isEqualTo(sha256(file));

        EvidenceArchive.Unpacked<String> failed = archive.unpack(new ByteArrayInputStream(zipped), INFECTED, LIMITS, in -> {
            in.read();
            throw new IOException("not a trace");
        });
        assertThat(failed.readFailure()).hasMessage("not a trace");
        assertThat(failed.size()).isEqualTo(file.length);
        assertThat(failed.sha256()).isEqualTo(sha256(file));
    }

    @Test
    void aDownloadThatBreaksIsADownloadFailureNotAWrongPasswordOrABadArchive() throws Exception {
        byte[] zipped = zip(EncryptionMethod.ZIP_STANDARD, "big.bin", random(200_000));
        InputStream breaking = new java.io.FilterInputStream(new ByteArrayInputStream(zipped)) {
            private int read;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (read > 50_000) {
                    throw new java.net.SocketException("Connection reset");
                }
                int n = super.read(b, off, Math.min(len, 4096));
                read += Math.max(n, 0);
                return n;
            }
        };

        assertThatThrownBy(() -> archive.unpack(breaking, INFECTED, LIMITS, null)).isInstanceOf(java.net.SocketException.class);
    }

    // ---- archives ----

    static byte[] zip(EncryptionMethod method, String name, byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out, method == EncryptionMethod.NONE ? null : INFECTED)) {
            ZipParameters parameters = new ZipParameters();
            parameters.setFileNameInZip(name);
            if (method != EncryptionMethod.NONE) {
                parameters.setEncryptFiles(true);
                parameters.setEncryptionMethod(method);
                parameters.setAesKeyStrength(AesKeyStrength.KEY_STRENGTH_256);
            }
            zip.putNextEntry(parameters);
            zip.write(content);
            zip.closeEntry();
        }
        return out.toByteArray();
    }

    /** Archives java.util.zip writes as told: any names, any number of entries, deflated. */
    static byte[] plainZip(String[] names, byte[][] contents) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(out)) {
            for (int i = 0; i < names.length; i++) {
                zip.putNextEntry(new ZipEntry(names[i]));
                zip.write(contents[i]);
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(42).nextBytes(bytes);
        return bytes;
    }

    private static final class Counting extends java.io.FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count += Math.max(n, 0);
            return n;
        }

        @Override
        public int read() throws IOException {
            int n = super.read();
            count += n >= 0 ? 1 : 0;
            return n;
        }
    }
}
