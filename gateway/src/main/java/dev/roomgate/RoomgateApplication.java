package dev.roomgate;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Roomgate: one endpoint for what is happening in a video-conferencing room, across providers. */
@SpringBootApplication(excludeName = "org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration")
@ConfigurationPropertiesScan
public class RoomgateApplication {

    public static void main(String[] args) {
        SpringApplication.run(RoomgateApplication.class, args);
    }
}
