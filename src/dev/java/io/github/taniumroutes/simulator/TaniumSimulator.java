package io.github.taniumroutes.simulator;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PfxOptions;

/**
 * A stateful Tanium server over real HTTP (Vert.x), for development, CI and users without a Tanium
 * server. Runs embedded (tests, the demo) or on its own:
 * {@code java ... io.github.taniumroutes.simulator.TaniumSimulator [port] [inventory.json] [token]}.
 *
 * <p>Every request except the {@code /__simulator/…} control paths is recorded, then checked
 * against the one {@code session} token (401 otherwise), then subjected to {@link Faults} (latency
 * is a timer, not a blocked thread), then dispatched to the handler registered for its path: an
 * exact path, or a prefix that matches the path itself or anything below it ({@code prefix/…}); the
 * longest match wins, and an unknown path is a 404 {@code {"text":"Not Found"}}. Served areas:
 * <ul>
 * <li>{@code POST /plugin/products/gateway/graphql}: the API Gateway ({@link GatewayHandler}), with Direct Connect in both
 *     API generations ({@link DirectConnectGateway}, steered by {@link #directConnect()});</li>
 * <li>{@code /plugin/products/threat-response/api/v1/…}: Threat Response live connections,
 *     snapshot tasks and snapshots, file tasks, the evidence list, password-protected evidence archives
 *     with real bytes and their deletion ({@link ThreatResponseHandler}, steered by {@link #threatResponse()};
 *     the endpoints' files: {@link EndpointFiles}), and its alerts ({@link ThreatResponseAlertsHandler},
 *     raised through {@link #threatResponseAlerts()});</li>
 * <li>{@code GET /api/v2/session/current}: the user behind the token, id {@link #USER_ID};</li>
 * <li>{@code /api/v2/…}: the platform REST API ({@link PlatformHandler}, steered by {@link #platform()}): ad-hoc groups
 *     from question text ({@code POST /groups}), action groups, packages and sensors by name, actions with approvals
 *     ({@code POST|GET /actions}, {@code GET /result_data/action/{id}}, {@code /saved_actions/{id}},
 *     {@code /saved_action_approvals}), questions ({@code POST /parse_question}, {@code POST /questions},
 *     {@code GET /result_info/question/{id}}, {@code GET /result_data/question/{id}}). Its catalog (action groups,
 *     filter groups, packages, sensors) is {@code platform.json} beside the inventory file, else
 *     config/simulator/platform.json.</li>
 * </ul>
 * Control paths (no session, not recorded): {@code GET /__simulator/requests},
 * {@code GET|PUT /__simulator/faults}, {@code GET|PUT /__simulator/threat-response}, {@code GET|PUT /__simulator/platform},
 * {@code GET|PUT /__simulator/direct-connect}.
 */
public final class TaniumSimulator implements AutoCloseable {

    public static final String CONTROL_PATH = "/__simulator/requests";
    /** PUT a JSON object here to change fault injection at run time; GET shows the current settings. */
    public static final String FAULTS_PATH = "/__simulator/faults";
    /** PUT a JSON object here to steer Threat Response at run time; GET shows the settings and counters. */
    public static final String THREAT_RESPONSE_PATH = "/__simulator/threat-response";
    /** PUT a JSON object here to raise Threat Response alerts ({@code {"raise":{"endpoint":"1003"}}}); GET shows them counted. */
    public static final String THREAT_RESPONSE_ALERTS_PATH = "/__simulator/threat-response-alerts";
    /** PUT a JSON object here to steer the platform REST API (approvals, timings) at run time; GET shows the settings and counters. */
    public static final String PLATFORM_PATH = "/__simulator/platform";
    /** PUT a JSON object here to steer Direct Connect (connect delay, inactivity limit, generations, processes); GET shows settings and counters. */
    public static final String DIRECT_CONNECT_PATH = "/__simulator/direct-connect";
    /** The id of the user behind the simulator's token ({@code GET /api/v2/session/current}, {@code userId} of our connections). */
    public static final int USER_ID = 42;
    public static final String USER_NAME = "tanium-response-routes";

    private final Vertx vertx;
    private final HttpServer server;
    private final ObjectMapper mapper = new ObjectMapper();
    private final Faults faults = new Faults();
    private final String token;
    private final Sessions sessions;
    private final ThreatResponseControl threatResponse;
    private final ThreatResponseAlerts threatResponseAlerts = new ThreatResponseAlerts();
    private final PlatformControl platform;
    private final DirectConnectControl directConnect;
    /** Longest path first, so the first match is the most specific one. */
    private final List<Route> routes = new ArrayList<>();
    private final ConcurrentLinkedDeque<RecordedRequest> recorded = new ConcurrentLinkedDeque<>();
    private final AtomicInteger recordedCount = new AtomicInteger();
    private final AtomicLong totalRequests = new AtomicLong();
    private final int maxRecorded;

    private final String scheme;

    private final Inventory inventory;

    private TaniumSimulator(Inventory inventory, PlatformCatalog catalog, EndpointFiles files, String token, int maxRecorded,
            HttpServerOptions options) {
        this.inventory = inventory;
        this.threatResponse = new ThreatResponseControl(USER_ID, files);
        this.platform = new PlatformControl(inventory, catalog);
        this.directConnect = new DirectConnectControl(inventory);
        this.token = token;
        this.sessions = new Sessions(token);
        this.scheme = options.isSsl() ? "https" : "http";
        this.maxRecorded = maxRecorded;
        route(GatewayHandler.PATH, false, new GatewayHandler(mapper, inventory, faults, directConnect));
        route(ThreatResponseHandler.PREFIX, true, new ThreatResponseHandler(mapper, threatResponse, inventory));
        route(ThreatResponseAlertsHandler.PREFIX, true, new ThreatResponseAlertsHandler(mapper, threatResponseAlerts));
        route(SessionHandler.PREFIX, true, new SessionHandler(mapper, USER_ID, USER_NAME));
        route(PlatformHandler.PREFIX, true, new PlatformHandler(mapper, platform, USER_ID, USER_NAME));
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(4));
        this.server = vertx.createHttpServer(options.setTcpNoDelay(true).setIdleTimeout(120));
        server.requestHandler(this::serve);
    }

    /** Starts on {@code port} (0 picks a free one) with the inventory file and the one token it accepts. */
    public static TaniumSimulator start(int port, Path inventoryFile, String token) throws IOException {
        return start(port, inventoryFile, token, new HttpServerOptions());
    }

    /** Starts serving HTTPS with the key and certificate in a PKCS12 key store (a self-signed Tanium server). */
    public static TaniumSimulator startTls(int port, Path inventoryFile, String token, Path keyStore, String password) throws IOException {
        return start(port, inventoryFile, token, new HttpServerOptions().setSsl(true)
                .setKeyCertOptions(new PfxOptions().setPath(keyStore.toString()).setPassword(password)));
    }

    private static TaniumSimulator start(int port, Path inventoryFile, String token, HttpServerOptions options) throws IOException {
        // The request log is bounded: a long run (the benchmark, a demo left running) must not fill the heap with it.
        ObjectMapper reader = new ObjectMapper();
        TaniumSimulator simulator = new TaniumSimulator(Inventory.load(reader, inventoryFile), PlatformCatalog.near(reader, inventoryFile),
                EndpointFiles.near(inventoryFile), token, 5_000, options);
        try {
            simulator.server.listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the simulator", e);
        } catch (ExecutionException | TimeoutException e) {
            simulator.close();
            throw new IOException("cannot listen on 127.0.0.1:" + port, e);
        }
        return simulator;
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8443;
        Path inventory = Path.of(args.length > 1 ? args[1] : "config/simulator/inventory.json");
        String token = args.length > 2 ? args[2] : System.getenv().getOrDefault("TANIUM_TOKEN", "token-simulator");
        TaniumSimulator simulator = start(port, inventory, token);
        System.out.println("Tanium simulator listening on " + simulator.url() + " (inventory " + inventory + ")\n"
                + "  serves  POST " + GatewayHandler.PATH + ", " + ThreatResponseHandler.PREFIX + "/{conns,tasks,snapshot,filedownload}…, "
                + "GET /api/v2/session/current (user id " + USER_ID + ")\n"
                + "          " + PlatformHandler.PREFIX + "/{groups,action_groups/by-name,packages/by-name,sensors/by-name,actions,"
                + "result_data/action,saved_actions,saved_action_approvals,parse_question,questions,result_info/question,result_data/question}…\n"
                + "  control GET " + CONTROL_PATH + ", GET|PUT " + FAULTS_PATH + ", GET|PUT " + THREAT_RESPONSE_PATH
                + " (e.g. {\"connectDelayMs\":5000,\"connectOutcome\":\"TIMEOUT\",\"reset\":true}),\n"
                + "          GET|PUT " + PLATFORM_PATH + " (e.g. {\"approval\":\"required\",\"approve\":1362688,\"actionDurationMs\":2000,"
                + "\"failingEndpoints\":[\"WS-0142\"],\"questionDelayMs\":1500,\"misrankParse\":true,\"reset\":true}),\n"
                + "          GET|PUT " + DIRECT_CONNECT_PATH + " (e.g. {\"connectDelayMs\":2000,\"inactivityLimitMs\":120000,"
                + "\"generations\":[\"LEGACY\"],\"startProcess\":{\"endpointId\":\"1003\",\"pid\":4242,\"name\":\"backup.exe\"}})");
        Runtime.getRuntime().addShutdownHook(new Thread(simulator::close));
        Thread.currentThread().join();
    }

    /** The computer id (Threat Response's clientId) of the endpoint with this Gateway id; the two differ. */
    public String computerIdOf(String endpointId) {
        return inventory.computerIdOf(endpointId);
    }

    public String url() {
        // The TLS certificate names localhost; plain HTTP stays on the literal address.
        return scheme + "://" + ("https".equals(scheme) ? "localhost" : "127.0.0.1") + ":" + server.actualPort();
    }

    public Faults faults() {
        return faults;
    }

    /** Which sessions are accepted: the API token, logins with credentials, expiry. */
    public Sessions sessions() {
        return sessions;
    }

    /** Steers the simulated Threat Response (connect delay and outcome, snapshot tasks) and counts what reached it. */
    /** Threat Response's alerts: raise some, see their states. */
    public ThreatResponseAlerts threatResponseAlerts() {
        return threatResponseAlerts;
    }

    /** The inventory's endpoint of this Gateway id. */
    public Inventory.Endpoint endpoint(String endpointId) {
        return inventory.endpoints().stream().filter(e -> e.id().equals(endpointId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no endpoint " + endpointId + " in the inventory"));
    }

    public ThreatResponseControl threatResponse() {
        return threatResponse;
    }

    /** Steers the simulated platform REST API (approvals, action and question timing, parse ranking) and shows what reached it. */
    public PlatformControl platform() {
        return platform;
    }

    /** Steers simulated Direct Connect (connect delay, inactivity limit, API generations, processes) and counts what reached it. */
    public DirectConnectControl directConnect() {
        return directConnect;
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

    private void serve(HttpServerRequest request) {
        request.body().onComplete(read -> {
            if (read.failed()) {
                request.response().setStatusCode(400).end();
                return;
            }
            String path = request.path();
            String query = request.query() == null ? "" : request.query();
            String body = read.result().toString();
            if (path.equals(CONTROL_PATH)) {
                respond(request, SimulatorHandler.Reply.json(200, recordedAsJson()));
                return;
            }
            if (path.equals(FAULTS_PATH)) {
                respond(request, faultsControl(request.method().name(), body));
                return;
            }
            if (path.equals(THREAT_RESPONSE_PATH)) {
                respond(request, threatResponseControl(request.method().name(), body));
                return;
            }
            if (path.equals(THREAT_RESPONSE_ALERTS_PATH)) {
                respond(request, threatResponseAlertsControl(request.method().name(), body));
                return;
            }
            if (path.equals(PLATFORM_PATH)) {
                respond(request, platformControl(request.method().name(), body));
                return;
            }
            if (path.equals(DIRECT_CONNECT_PATH)) {
                respond(request, directConnectControl(request.method().name(), body));
                return;
            }
            record(request, path, query, body);
            if (faults.outage) {
                // Down: the connection is dropped without an answer, as a dead server's load balancer does.
                request.connection().close();
                return;
            }
            SimulatorHandler.Reply reply;
            try {
                reply = dispatch(request, path, query, body);
            } catch (Exception | LinkageError e) {
                // Always answer: a client left waiting would hang the test that sent the request.
                reply = SimulatorHandler.Reply.json(500, mapper.createObjectNode().put("text", "simulator failure: " + e.getClass().getSimpleName()));
            }
            SimulatorHandler.Reply answer = reply;
            long latency = faults.latencyFor(path, body);
            if (latency > 0) {
                vertx.setTimer(latency, id -> respond(request, answer));
            } else {
                respond(request, answer);
            }
        });
    }

    private SimulatorHandler.Reply dispatch(HttpServerRequest request, String path, String query, String body) throws Exception {
        if (path.equals(Sessions.LOGIN_PATH) && "POST".equals(request.method().name())) {
            return sessions.login(mapper, body);
        }
        int refused = sessions.refusal(request.getHeader("session"));
        if (refused != 0) {
            return SimulatorHandler.Reply.json(refused, mapper.createObjectNode().put("text", refused == 403 ? "Forbidden" : "Unauthorized"));
        }
        int failure = faults.httpFailure(path);
        if (failure != 0) {
            String retryAfter = faults.retryAfterFor(failure);
            if (retryAfter != null) {
                request.response().putHeader("Retry-After", retryAfter);
            }
            return SimulatorHandler.Reply.json(failure, mapper.createObjectNode().put("text", "simulated failure " + failure));
        }
        for (Route route : routes) {
            if (route.matches(path)) {
                return route.handler().handle(request.method().name(), path, query, request::getHeader, body);
            }
        }
        return SimulatorHandler.Reply.json(404, mapper.createObjectNode().put("text", "Not Found"));
    }

    /** A handler for one exact path, or (prefix) for the path and everything below it, never {@code /pathX}. */
    private record Route(String path, boolean prefix, SimulatorHandler handler) {
        boolean matches(String requested) {
            return requested.equals(path) || prefix && requested.startsWith(path) && requested.charAt(path.length()) == '/';
        }
    }

    private void route(String path, boolean prefix, SimulatorHandler handler) {
        routes.add(new Route(path, prefix, handler));
        routes.sort(Comparator.comparingInt((Route r) -> r.path().length()).reversed());
    }

    private SimulatorHandler.Reply threatResponseControl(String method, String body) {
        try {
            if ("PUT".equals(method) || "POST".equals(method)) {
                threatResponse.apply(mapper.readTree(body));
            }
            return SimulatorHandler.Reply.json(200, threatResponse.describe(mapper));
        } catch (Exception e) {
            return SimulatorHandler.Reply.json(400, mapper.createObjectNode().put("text", "bad threat-response document: " + e.getMessage()));
        }
    }

    private SimulatorHandler.Reply threatResponseAlertsControl(String method, String body) {
        try {
            if ("PUT".equals(method) || "POST".equals(method)) {
                threatResponseAlerts.apply(mapper.readTree(body), inventory);
            }
            return SimulatorHandler.Reply.json(200, threatResponseAlerts.describe());
        } catch (Exception e) {
            return SimulatorHandler.Reply.json(400, mapper.createObjectNode().put("text", "bad threat-response-alerts document: " + e.getMessage()));
        }
    }

    private SimulatorHandler.Reply platformControl(String method, String body) {
        try {
            if ("PUT".equals(method) || "POST".equals(method)) {
                platform.apply(mapper.readTree(body));
            }
            return SimulatorHandler.Reply.json(200, platform.describe(mapper));
        } catch (Exception e) {
            return SimulatorHandler.Reply.json(400, mapper.createObjectNode().put("text", "bad platform document: " + e.getMessage()));
        }
    }

    private SimulatorHandler.Reply directConnectControl(String method, String body) {
        try {
            if ("PUT".equals(method) || "POST".equals(method)) {
                directConnect.apply(mapper.readTree(body));
            }
            return SimulatorHandler.Reply.json(200, directConnect.describe(mapper));
        } catch (Exception e) {
            return SimulatorHandler.Reply.json(400, mapper.createObjectNode().put("text", "bad direct-connect document: " + e.getMessage()));
        }
    }

    private SimulatorHandler.Reply faultsControl(String method, String body) {
        try {
            if ("PUT".equals(method) || "POST".equals(method)) {
                faults.apply(mapper.readTree(body));
            }
            return SimulatorHandler.Reply.json(200, faults.describe(mapper));
        } catch (Exception e) {
            return SimulatorHandler.Reply.json(400, mapper.createObjectNode().put("text", "bad faults document: " + e.getMessage()));
        }
    }

    private void record(HttpServerRequest request, String path, String query, String body) {
        totalRequests.incrementAndGet();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        request.headers().names().forEach(name -> headers.put(name, List.copyOf(request.headers().getAll(name))));
        recorded.addLast(new RecordedRequest(System.currentTimeMillis(), request.method().name(), path, query, headers, body));
        if (recordedCount.incrementAndGet() > maxRecorded) {
            recorded.pollFirst();
            recordedCount.decrementAndGet();
        }
    }

    private ObjectNode recordedAsJson() {
        ObjectNode reply = mapper.createObjectNode().put("total", totalRequests.get());
        ArrayNode list = reply.putArray("requests");
        for (RecordedRequest r : recorded) {
            ObjectNode entry = list.addObject().put("method", r.method()).put("path", r.path()).put("query", r.query())
                    .put("body", r.body());
            entry.set("headers", mapper.valueToTree(r.headers()));
        }
        return reply;
    }

    private static void respond(HttpServerRequest request, SimulatorHandler.Reply reply) {
        reply.headers().forEach(request.response()::putHeader);
        request.response().setStatusCode(reply.status()).putHeader("Content-Type", reply.contentType())
                .end(Buffer.buffer(reply.body()));
    }

    @Override
    public void close() {
        try {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // closing is best effort: the JVM is usually on its way out
        }
    }
}
