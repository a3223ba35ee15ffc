package io.github.taniumroutes.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stateful Tanium server over real HTTP, for development, CI and users without a Tanium server.
 * Checks the {@code session} header, records every request, injects faults, and serves each API
 * area through its own handler. Runs embedded (tests, {@code -Pdemo}) or on its own:
 * {@code java ... io.github.taniumroutes.simulator.TaniumSimulator [port] [inventory.json] [token]}.
 */
public final class TaniumSimulator implements AutoCloseable {

    public static final String CONTROL_PATH = "/__simulator/requests";

    static {
        // The JDK server writes headers and body separately; without TCP_NODELAY, Nagle's algorithm
        // and delayed ACKs stall every keep-alive response by ~40 ms. Read once, before first use.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final ObjectMapper mapper = new ObjectMapper();
    private final Faults faults = new Faults();
    private final String token;
    private final Map<String, SimulatorHandler> handlers = new LinkedHashMap<>();
    private final ConcurrentLinkedDeque<RecordedRequest> recorded = new ConcurrentLinkedDeque<>();
    private final AtomicInteger recordedCount = new AtomicInteger();
    private final AtomicLong totalRequests = new AtomicLong();
    private final int maxRecorded;

    private TaniumSimulator(int port, Inventory inventory, String token, int maxRecorded) throws IOException {
        this.token = token;
        this.maxRecorded = maxRecorded;
        handlers.put(GatewayHandler.PATH, new GatewayHandler(mapper, inventory, faults));
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 512);
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(64, r -> {
            Thread t = new Thread(r, "tanium-simulator-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::serve);
    }

    /** Starts on {@code port} (0 picks a free one) with the inventory file and the one token it accepts. */
    public static TaniumSimulator start(int port, Path inventoryFile, String token) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        TaniumSimulator simulator = new TaniumSimulator(port, Inventory.load(mapper, inventoryFile), token, 200_000);
        simulator.server.start();
        return simulator;
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8443;
        Path inventory = Path.of(args.length > 1 ? args[1] : "config/simulator/inventory.json");
        String token = args.length > 2 ? args[2] : System.getenv().getOrDefault("TANIUM_TOKEN", "token-simulator");
        TaniumSimulator simulator = start(port, inventory, token);
        System.out.println("Tanium simulator listening on " + simulator.url() + " (inventory " + inventory + ")");
        Runtime.getRuntime().addShutdownHook(new Thread(simulator::close));
        Thread.currentThread().join();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public Faults faults() {
        return faults;
    }

    /** Every request recorded so far (the most recent {@code maxRecorded}), oldest first. */
    public List<RecordedRequest> requests() {
        return new ArrayList<>(recorded);
    }

    public List<RecordedRequest> requests(String path) {
        return recorded.stream().filter(r -> r.path().equals(path)).toList();
    }

    public long totalRequests() {
        return totalRequests.get();
    }

    public void clearRequests() {
        recorded.clear();
        recordedCount.set(0);
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String body = read(exchange.getRequestBody());
            if (path.equals(CONTROL_PATH)) {
                respond(exchange, SimulatorHandler.Reply.json(200, recordedAsJson()));
                return;
            }
            record(exchange, path, body);
            respond(exchange, dispatch(exchange, path, body));
        } catch (Exception e) {
            byte[] text = ("{\"text\":\"simulator failure: " + e.getClass().getSimpleName() + "\"}").getBytes(StandardCharsets.UTF_8);
            respond(exchange, new SimulatorHandler.Reply(500, "application/json", text));
        }
    }

    private SimulatorHandler.Reply dispatch(HttpExchange exchange, String path, String body) throws Exception {
        if (faults.latencyMillis > 0) {
            TimeUnit.MILLISECONDS.sleep(faults.latencyMillis);
        }
        String session = exchange.getRequestHeaders().getFirst("session");
        if (session == null || !session.equals(token)) {
            return SimulatorHandler.Reply.json(401, mapper.createObjectNode().put("text", "Unauthorized"));
        }
        int failure = faults.httpFailure();
        if (failure != 0) {
            if (failure == 429) {
                exchange.getResponseHeaders().set("Retry-After", String.valueOf(faults.retryAfterSeconds));
            }
            return SimulatorHandler.Reply.json(failure, mapper.createObjectNode().put("text", "simulated failure " + failure));
        }
        SimulatorHandler handler = handlers.get(path);
        if (handler == null) {
            return SimulatorHandler.Reply.json(404, mapper.createObjectNode().put("text", "Not Found"));
        }
        return handler.handle(exchange.getRequestMethod(), path, body);
    }

    private void record(HttpExchange exchange, String path, String body) {
        totalRequests.incrementAndGet();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, List.copyOf(v)));
        recorded.addLast(new RecordedRequest(System.currentTimeMillis(), exchange.getRequestMethod(), path, headers, body));
        if (recordedCount.incrementAndGet() > maxRecorded) {
            recorded.pollFirst();
            recordedCount.decrementAndGet();
        }
    }

    private ObjectNode recordedAsJson() {
        ObjectNode reply = mapper.createObjectNode().put("total", totalRequests.get());
        ArrayNode list = reply.putArray("requests");
        for (RecordedRequest r : recorded) {
            ObjectNode entry = list.addObject().put("method", r.method()).put("path", r.path()).put("body", r.body());
            entry.set("headers", mapper.valueToTree(r.headers()));
        }
        return reply;
    }

    private static String read(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    private static void respond(HttpExchange exchange, SimulatorHandler.Reply reply) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", reply.contentType());
        exchange.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(reply.body());
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
