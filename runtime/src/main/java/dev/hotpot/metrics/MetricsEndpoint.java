package dev.hotpot.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.hotpot.ConfigurationException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Serves a Prometheus registry over HTTP: {@code GET /metrics} answers with every meter in the
 * Prometheus text format; other modules add pages ({@link #serve}), such as the cluster's status
 * page. Uses the JDK's HTTP server: one small listener, no framework.
 *
 * <p>Invariants: binds the address it is given, loopback when the setting names only a port; its
 * threads are daemons, so it never keeps the JVM alive.
 *
 * <p>Threading: safe from any thread; requests are served on a small daemon pool.
 */
public final class MetricsEndpoint implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(MetricsEndpoint.class.getName());
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final HttpServer server;

    private MetricsEndpoint(PrometheusMeterRegistry registry, HttpServer server) {
        this.registry = registry;
        this.server = server;
    }

    /**
     * Starts serving a new Prometheus registry on {@code address}.
     *
     * @param setting names the setting that gave the address, for errors
     */
    public static MetricsEndpoint start(InetSocketAddress address, String setting) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        HttpServer server;
        try {
            server = HttpServer.create(address, 0);
        } catch (IOException e) {
            throw new ConfigurationException(setting + ": cannot listen on " + address + " (" + e.getMessage()
                    + "); choose a free port", e);
        }
        MetricsEndpoint endpoint = new MetricsEndpoint(registry, server);
        server.createContext("/metrics", endpoint::serveMetrics);
        server.setExecutor(Executors.newFixedThreadPool(2, Thread.ofPlatform().daemon().name("hotpot-http-", 0).factory()));
        // The server's dispatcher thread takes its daemon status from the thread that starts it.
        Thread starter = Thread.ofPlatform().daemon().unstarted(server::start);
        starter.start();
        try {
            starter.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.log(System.Logger.Level.INFO, () -> "metrics at http://" + endpoint.address().getHostString() + ":"
                + endpoint.address().getPort() + "/metrics");
        return endpoint;
    }

    /**
     * Parses a setting of the form {@code host:port} or {@code port} (then on loopback).
     *
     * @param setting the setting's name, for errors
     */
    public static InetSocketAddress parseAddress(String value, String setting) {
        String text = value.trim();
        int colon = text.lastIndexOf(':');
        String host = colon < 0 ? "127.0.0.1" : text.substring(0, colon);
        String port = colon < 0 ? text : text.substring(colon + 1);
        try {
            int number = Integer.parseInt(port);
            if (number < 0 || number > 65535 || host.isEmpty()) {
                throw new NumberFormatException();
            }
            return new InetSocketAddress(host, number);
        } catch (NumberFormatException e) {
            throw new ConfigurationException(setting + "=" + value + " is not host:port or port (such as 127.0.0.1:9400)");
        }
    }

    /** The registry this endpoint serves: give it to the heap as its meter registry. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The address it listens on (with the port the system chose, if 0 was asked for). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /**
     * Serves {@code GET path} (exactly that path) with what {@code body} returns at each request,
     * as {@code contentType}.
     */
    public void serve(String path, String contentType, Supplier<byte[]> body) {
        server.createContext(path, exchange -> {
            if (!exchange.getRequestURI().getPath().equals(path)) {
                try (exchange) {
                    exchange.sendResponseHeaders(404, -1);
                }
                return;
            }
            answer(exchange, contentType, body.get());
        });
    }

    private void serveMetrics(HttpExchange exchange) throws IOException {
        answer(exchange, PROMETHEUS_TEXT, registry.scrape().getBytes(StandardCharsets.UTF_8));
    }

    private static void answer(HttpExchange exchange, String contentType, byte[] body) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        registry.close();
    }
}
