package dev.roomgate.support;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * For a test that boots and closes a whole application inside the test JVM: the application gets event loops of its
 * own. By default it would use Reactor Netty's JVM-wide ones and dispose them when it closes, and with them every
 * server of the shared test contexts that Spring's context cache keeps for the next test classes.
 */
public final class OwnNettyResources implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        ((GenericApplicationContext) context).registerBean("reactorResourceFactory", ReactorResourceFactory.class,
                () -> {
                    ReactorResourceFactory resources = new ReactorResourceFactory();
                    resources.setUseGlobalResources(false);
                    return resources;
                });
    }
}
