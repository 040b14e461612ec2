package dev.roomgate.api;

import java.time.Clock;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import dev.roomgate.aggregate.RoomAggregator;
import dev.roomgate.aggregate.Ticker;
import dev.roomgate.config.ProviderInstances;
import dev.roomgate.watch.RoomWatches;
import dev.roomgate.webhook.RoomChangeRelay;
import dev.roomgate.webhook.RoomChanged;
import dev.roomgate.webhook.WebhookIntake;

import static org.springframework.web.reactive.function.server.RequestPredicates.path;

/**
 * Providers' webhooks in: each verified event marks the room's kept answers out of date and wakes the room's watch
 * loops, which then read it again. It never writes room data, so a lost, repeated or reordered webhook cannot leave
 * a wrong answer. Its route is apart from the API's: not behind client keys nor their rate limit, with its own.
 */
@Configuration(proxyBeanMethods = false)
class WebhookConfiguration {

    @Bean
    WebhookIntake webhookIntake(ProviderInstances instances, RoomAggregator aggregator, RoomWatches watches,
            ObjectProvider<RoomChangeRelay> relay, Clock clock, Ticker ticker, MeterRegistry meters) {
        RoomChanged here = event -> {
            instances.find(event.instance())
                .ifPresent(instance -> aggregator.lookups().changed(instance, event.roomId()));
            watches.wake(event.roomId());
        };
        // In cluster mode the other replicas are told too, and what they take is applied here.
        RoomChangeRelay others = relay.getIfAvailable();
        if (others == null) {
            return new WebhookIntake(instances, clock, ticker::nanoTime, meters, List.of(here));
        }
        others.deliverTo(here);
        return new WebhookIntake(instances, clock, ticker::nanoTime, meters, List.of(here, others::publish));
    }

    @Bean
    RouterFunction<ServerResponse> webhooks(WebhookIntake intake, ProblemWriter problems) {
        WebhookHandler handler = new WebhookHandler(intake, problems);
        return RouterFunctions.route(path(WebhookHandler.PATTERN), handler::receive);
    }
}
