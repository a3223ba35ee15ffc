package io.github.taniumroutes.evidence;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import jakarta.inject.Named;
import jakarta.inject.Singleton;
import net.lingala.zip4j.exception.ZipException;
import net.lingala.zip4j.io.inputstream.ZipInputStream;
import net.lingala.zip4j.model.LocalFileHeader;

/**
 * Unpacks the zip archive Threat Response delivers a collected file in ({@code GET /filedownload/data/{uuid}};
 * public integrations open it with the password {@code infected}) while it streams in, with zip4j: nothing
 * is written to disk, and at most {@link Limits#keepBytes} of the file are held in memory.
 *
 * <p>The archive of one collected file holds one entry: its name must be a bare file name (no directory,
 * drive or {@code ..}), and a second entry is refused. Guards against zip bombs: the bytes read from
 * Tanium ({@link Limits#maxArchiveBytes}), the file's uncompressed size ({@link Limits#maxUncompressedBytes}),
 * and how many times the file outgrows what was read for it ({@link Limits#maxRatio}, checked past
 * {@value #RATIO_CHECKED_FROM} bytes, where small files of one repeated byte are still fine). Every byte of
 * the file goes through SHA-256, also past what is kept, so a file too large to publish still has its
 * exact size and hash.
 *
 * <p>A {@link ContentReader} (a CST trace parser) may read the file as it streams; whatever it leaves
 * unread is still hashed, and its failure is returned with the file, not thrown, so the file's size and
 * hash are known either way.
 */
@Singleton
@Named("evidenceArchive")
public class EvidenceArchive {

    /** Below this size the expansion ratio is not judged: a small file of one repeated byte compresses a thousandfold. */
    static final long RATIO_CHECKED_FROM = 1 << 20;

    public record Limits(long maxArchiveBytes, long maxUncompressedBytes, int maxRatio, int keepBytes) {
    }

    /** Reads the file's content as it streams (and may stop early); returns what it made of it. */
    @FunctionalInterface
    public interface ContentReader<T> {
        T read(InputStream content) throws IOException;
    }

    /**
     * The archive's file: its name in the archive, its size and SHA-256 (hex) over every byte, its content
     * if it is at most {@code keepBytes} (else null), and what the reader made of it or why it could not.
     */
    public record Unpacked<T>(String name, long size, String sha256, byte[] content, T read, Exception readFailure) {
    }

    /** Why the archive was not unpacked. */
    public static final class Refused extends IOException {

        public enum Kind {
            /** Over a size limit: not a fault of the archive, but more than this application reads. */
            TOO_LARGE,
            /** Refused by a guard: a likely zip bomb, a name with path components, more than one entry. */
            REFUSED,
            /** Not a zip archive that can be opened: another password, damaged, empty. */
            UNREADABLE
        }

        private final Kind kind;
        private final long bytesAtLeast;

        Refused(Kind kind, String reason, long bytesAtLeast) {
            super(reason, null);
            this.kind = kind;
            this.bytesAtLeast = bytesAtLeast;
        }

        public Kind kind() {
            return kind;
        }

        /** For {@link Kind#TOO_LARGE}: the file (or archive) has at least this many bytes. */
        public long bytesAtLeast() {
            return bytesAtLeast;
        }
    }

    /**
     * Unpacks {@code archive} (which the caller closes) with {@code password}. A {@link Refused} says why the
     * archive is not taken; any other IOException is the download itself failing (the connection broke),
     * which may be tried again.
     */
    public <T> Unpacked<T> unpack(InputStream archive, char[] password, Limits limits, ContentReader<T> reader) throws IOException {
        Counted raw = new Counted(archive, limits.maxArchiveBytes());
        try {
            ZipInputStream zip = new ZipInputStream(raw, password);
            LocalFileHeader header = zip.getNextEntry();
            if (header == null) {
                throw new Refused(Refused.Kind.UNREADABLE, "the download is not a zip archive holding a file", 0);
            }
            String name = header.getFileName();
            String nameProblem = nameProblem(name, header.isDirectory());
            if (nameProblem != null) {
                throw new Refused(Refused.Kind.REFUSED, nameProblem, 0);
            }
            Content content = new Content(zip, raw, limits);
            T read = null;
            Exception readFailure = null;
            if (reader != null) {
                try {
                    read = reader.read(content);
                } catch (Refused guard) {
                    throw guard;
                } catch (Exception e) {
                    if (raw.failure != null) {
                        throw raw.failure;
                    }
                    Refused guard = raw.exceeded != null ? raw.exceeded : guardIn(e);
                    if (guard != null) {
                        throw guard;
                    }
                    ZipException archiveFailure = archiveFailureIn(e);
                    if (archiveFailure != null) {
                        throw archiveFailure;
                    }
                    readFailure = e;
                }
            }
            content.drain();
            if (zip.getNextEntry() != null) {
                throw new Refused(Refused.Kind.REFUSED, "the archive holds more than one entry, and one file was asked for", 0);
            }
            return new Unpacked<>(name, content.size, HexFormat.of().formatHex(content.digest.digest()), content.kept(), read, readFailure);
        } catch (Refused refused) {
            throw refused;
        } catch (IOException e) {
            // zip4j reports any failure reading a ZipCrypto entry as a wrong password, without the cause.
            if (raw.failure != null) {
                throw raw.failure;
            }
            if (raw.exceeded != null) {
                throw raw.exceeded;
            }
            Refused guard = guardIn(e);
            if (guard != null) {
                throw guard;
            }
            if (e instanceof ZipException zip && zip.getType() == ZipException.Type.WRONG_PASSWORD) {
                throw new Refused(Refused.Kind.UNREADABLE, "the archive does not open with the configured password "
                        + "(file-evidence.zip.password)", 0);
            }
            throw new Refused(Refused.Kind.UNREADABLE, "the archive cannot be read: " + describe(e), 0);
        }
    }

    /** Why an entry name cannot be the collected file's, or null: it must be a bare file name. */
    static String nameProblem(String name, boolean directory) {
        if (name == null || name.isEmpty()) {
            return "the archive's entry has no name";
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) {
                return "the archive's entry name holds a control character";
            }
        }
        if (directory || name.contains("/") || name.contains("\\") || name.contains(":") || name.equals("..") || name.equals(".")) {
            return "the archive's entry name '" + name + "' has path components; the collected file's is a bare file name";
        }
        return null;
    }

    private static Refused guardIn(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof Refused refused) {
                return refused;
            }
        }
        return null;
    }

    /** A failure of the archive itself (zip4j's) rather than of what the reader made of the file. */
    private static ZipException archiveFailureIn(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ZipException zip) {
                return zip;
            }
        }
        return null;
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    /** Counts the bytes read from Tanium and stops past the limit; remembers a failure of the download itself. */
    static final class Counted extends FilterInputStream {
        private final long max;
        long count;
        Refused exceeded;
        IOException failure;

        Counted(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = downloaded(() -> super.read());
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = downloaded(() -> super.read(buffer, offset, length));
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        private interface Read {
            int read() throws IOException;
        }

        private int downloaded(Read read) throws IOException {
            try {
                return read.read();
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        private void counted(int n) throws Refused {
            count += n;
            if (count > max) {
                exceeded = new Refused(Refused.Kind.TOO_LARGE, "the archive is larger than " + max
                        + " bytes (file-evidence.max-download-bytes)", count);
                throw exceeded;
            }
        }
    }

    /** The entry's bytes: hashed, counted, kept up to the limit, judged against the guards. */
    private static final class Content extends InputStream {
        private final ZipInputStream zip;
        private final Counted raw;
        private final Limits limits;
        private final long rawAtStart;
        final MessageDigest digest;
        private ByteArrayOutputStream kept = new ByteArrayOutputStream();
        long size;

        Content(ZipInputStream zip, Counted raw, Limits limits) {
            this.zip = zip;
            this.raw = raw;
            this.limits = limits;
            this.rawAtStart = raw.count;
            try {
                this.digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = zip.read(buffer, offset, length);
            if (n > 0) {
                took(buffer, offset, n);
            }
            return n;
        }

        private void took(byte[] buffer, int offset, int n) throws Refused {
            size += n;
            digest.update(buffer, offset, n);
            if (kept != null) {
                if (size <= limits.keepBytes()) {
                    kept.write(buffer, offset, n);
                } else {
                    kept = null;
                }
            }
            if (size > limits.maxUncompressedBytes()) {
                throw new Refused(Refused.Kind.TOO_LARGE, "the file unpacks to more than " + limits.maxUncompressedBytes()
                        + " bytes (file-evidence.zip.max-uncompressed-bytes)", size);
            }
            long compressed = Math.max(1, raw.count - rawAtStart);
            if (size > RATIO_CHECKED_FROM && size > limits.maxRatio() * compressed) {
                throw new Refused(Refused.Kind.REFUSED, "the file expands more than " + limits.maxRatio()
                        + " times what was read for it, as a zip bomb does (file-evidence.zip.max-ratio)", size);
            }
        }

        void drain() throws IOException {
            byte[] buffer = new byte[8192];
            while (read(buffer, 0, buffer.length) >= 0) {
                // hashed and counted by read
            }
        }

        byte[] kept() {
            return kept == null ? null : kept.toByteArray();
        }

        @Override
        public void close() {
            // The archive is the caller's to close; a reader closing its stream must not end it.
        }
    }
}
