package dev.roomgate.benchmark;

import java.lang.management.ManagementFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The baseline: a plain Spring Cloud Gateway (the same version and stack as Roomgate) with one route, configured on
 * the command line, forwarding {@code /echo} to one canned upstream. Nothing else on the request path: no filters,
 * no actuator; {@code /allocated} only tells the benchmark, between scenarios, how much heap the JVM's threads have
 * allocated, so that a pass-through request's allocation is the floor Roomgate's is compared with.
 */
@SpringBootApplication
public class PassThroughGateway {

    public static void main(String[] args) {
        SpringApplication.run(PassThroughGateway.class, args);
    }

    @Bean
    RouterFunction<ServerResponse> allocated() {
        return RouterFunctions.route().GET("/allocated", request -> ServerResponse.ok()
            .bodyValue(Long.toString(allocatedBytes()))).build();
    }

    /** Over the live threads (Java 17 has no total): the event loops that do the work live as long as the JVM. */
    private static long allocatedBytes() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long total = 0;
        for (long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            total += Math.max(0, bytes);
        }
        return total;
    }
}
