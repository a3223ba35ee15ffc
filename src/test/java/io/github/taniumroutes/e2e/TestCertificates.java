package io.github.taniumroutes.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Self-signed certificates for TLS tests, made with the JDK's keytool (nothing downloaded). */
final class TestCertificates {

    static final String PASSWORD = "changeit-test";

    private TestCertificates() {
    }

    /**
     * What this JVM made already, by file: every Quarkus test profile starts the test resources again,
     * and each keytool run is a JVM of its own (seven of them cost seconds per profile on two cores).
     */
    private static final Set<Path> MADE = ConcurrentHashMap.newKeySet();

    /** A PKCS12 key store holding a key pair and a self-signed certificate for localhost / 127.0.0.1, made once per JVM. */
    static Path serverKeyStore(Path dir, String name) throws IOException, InterruptedException {
        Path store = dir.resolve(name + ".p12");
        if (MADE.contains(store)) {
            return store;
        }
        Files.createDirectories(dir);
        Files.deleteIfExists(store);
        keytool("-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", PASSWORD);
        MADE.add(store);
        return store;
    }

    /** A PKCS12 trust store holding only the certificate of {@code serverStore}. */
    static Path trustStoreFor(Path serverStore, String alias) throws IOException, InterruptedException {
        Path certificate = serverStore.resolveSibling(alias + ".pem");
        Path trust = serverStore.resolveSibling(alias + "-truststore.p12");
        if (MADE.contains(trust)) {
            return trust;
        }
        Files.deleteIfExists(certificate);
        Files.deleteIfExists(trust);
        keytool("-exportcert", "-rfc", "-alias", alias, "-keystore", serverStore.toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", alias, "-file", certificate.toString(), "-keystore", trust.toString(),
                "-storetype", "PKCS12", "-storepass", PASSWORD);
        MADE.add(trust);
        return trust;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool failed: " + output);
        }
    }
}
