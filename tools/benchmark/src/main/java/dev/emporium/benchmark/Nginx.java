package dev.emporium.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import dev.emporium.launcher.ManagedProcess;

/**
 * Debian's nginx as a plain reverse proxy in front of one service, for the benchmark to compare the
 * gateway with: one worker (the gateway has two cores to share too), HTTP/1.1 keep-alive to the
 * service, no access log. Its configuration is written next to the results.
 */
final class Nginx {

    private Nginx() {
    }

    static Optional<Path> binary() {
        return Stream.of("/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx").map(Path::of).filter(Files::isExecutable).findFirst();
    }

    /** Starts nginx on {@code port} proxying to {@code localhost:upstream}; empty when nginx is not installed. */
    static Optional<ManagedProcess> start(Path directory, int port, int upstream) {
        Optional<Path> nginx = binary();
        if (nginx.isEmpty()) {
            return Optional.empty();
        }
        try {
            Files.createDirectories(directory.resolve("logs"));
            Path config = directory.resolve("nginx.conf");
            Files.writeString(config, """
                    daemon off;
                    worker_processes 1;
                    pid %1$s/nginx.pid;
                    error_log %1$s/logs/error.log warn;
                    events { worker_connections 1024; }
                    http {
                        access_log off;
                        client_body_temp_path %1$s/client_body;
                        proxy_temp_path %1$s/proxy;
                        fastcgi_temp_path %1$s/fastcgi;
                        uwsgi_temp_path %1$s/uwsgi;
                        scgi_temp_path %1$s/scgi;
                        upstream service { server 127.0.0.1:%2$d; keepalive 64; }
                        server {
                            listen 127.0.0.1:%3$d;
                            location / {
                                proxy_pass http://service;
                                proxy_http_version 1.1;
                                proxy_set_header Connection "";
                                proxy_set_header Host $host;
                            }
                        }
                    }
                    """.formatted(directory.toAbsolutePath(), upstream, port));
            ManagedProcess process = ManagedProcess.start("nginx",
                    List.of(nginx.get().toString(), "-p", directory.toAbsolutePath().toString(), "-c", config.toString()), Map.of(),
                    directory.resolve("logs/nginx.out"));
            return Optional.of(ReferenceProxy.awaitServing(process, port, Duration.ofSeconds(10)));
        }
        catch (IOException e) {
            throw new UncheckedIOException("could not start nginx", e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    static void stop(ManagedProcess nginx) {
        ReferenceProxy.stop(nginx);
    }
}
