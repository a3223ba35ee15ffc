package io.github.taniumroutes.tanium;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Secrets kept in files (Kubernetes Secret mounts): read once, and again whenever the file's
 * modification time or size changes, so a rotated secret needs no restart. The value is trimmed; an
 * unreadable or empty file reads as no value. Values never appear in messages.
 */
public final class SecretFiles {

    /** The file's value, and whether it differs from the value read before. */
    public record Read(String value, boolean changed) {
    }

    private record Cached(FileTime modified, long size, String value) {
    }

    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public Read read(String file) {
        Path path = Path.of(file);
        Cached before = cache.get(file);
        try {
            FileTime modified = Files.getLastModifiedTime(path);
            long size = Files.size(path);
            if (before != null && before.modified().equals(modified) && before.size() == size) {
                return new Read(before.value(), false);
            }
            String value = Files.readString(path, StandardCharsets.UTF_8).strip();
            Cached now = new Cached(modified, size, value.isEmpty() ? null : value);
            cache.put(file, now);
            return new Read(now.value(), before != null && !java.util.Objects.equals(before.value(), now.value()));
        } catch (IOException unreadable) {
            cache.remove(file);
            return new Read(null, before != null && before.value() != null);
        }
    }
}
