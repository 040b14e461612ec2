package dev.roomgate.benchmark;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The baseline: a plain Spring Cloud Gateway (the same version and stack as Roomgate) with one route, configured on
 * the command line, forwarding {@code /echo} to one canned upstream. Nothing else: no filters, no actuator.
 */
@SpringBootApplication
public class PassThroughGateway {

    public static void main(String[] args) {
        SpringApplication.run(PassThroughGateway.class, args);
    }
}
