package dev.roomgate.observability;

import java.net.URI;
import java.util.regex.Pattern;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Hands {@link CredentialRedactor} the value of every configured secret before any other bean exists (a bean
 * factory post-processor runs first): the Redis password ({@code spring.data.redis.password}, or the password in
 * {@code spring.data.redis.url}) and every property, from any source (the file, the environment, a config tree),
 * whose name ends in password, secret, secret-key, api-secret, token or private-key; the providers' credentials
 * ({@code api-secret}, {@code secret-key}, {@code secret}) among them. The one place secrets are registered, so
 * that configuration binding needs nothing from logging.
 * <p>
 * Not {@code api-key}: under {@code roomgate.providers} that is a provider's key <em>identifier</em> (plugNmeet's
 * {@code API-KEY} header, VideoSDK's {@code apikey} claim), sent in clear beside its signature and often a plain word
 * (plugNmeet's demo key is {@code plugnmeet}). Masking it would mask instance names and configuration keys in the
 * very lines that tell an operator what to fix. Its header is redacted by shape, and clients' keys are configured
 * only as SHA-256 hashes.
 */
@Component
final class ConfiguredSecrets implements BeanFactoryPostProcessor, EnvironmentAware {

    static final Pattern SECRET_NAME = Pattern.compile(
            "(?i)(^|.*[._-])(password|secret|secret[._-]?key|api[._-]?secret|token|private[._-]?key)");

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        register(environment);
    }

    static void register(Environment environment) {
        CredentialRedactor.register(value(environment, "spring.data.redis.password"));
        CredentialRedactor.register(urlPassword(value(environment, "spring.data.redis.url")));
        if (environment instanceof ConfigurableEnvironment configurable) {
            for (var source : configurable.getPropertySources()) {
                if (source instanceof EnumerablePropertySource<?> enumerable) {
                    for (String name : enumerable.getPropertyNames()) {
                        if (SECRET_NAME.matcher(name).matches()) {
                            CredentialRedactor.register(value(environment, name));
                        }
                    }
                }
            }
        }
    }

    private static String value(Environment environment, String name) {
        try {
            return environment.getProperty(name);
        }
        catch (RuntimeException unresolvable) {
            return null;
        }
    }

    /** The password in a URL's user info ({@code redis://user:password@host}), or null. */
    static String urlPassword(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        try {
            String userInfo = URI.create(url.strip()).getRawUserInfo();
            if (userInfo == null) {
                return null;
            }
            int colon = userInfo.indexOf(':');
            return colon < 0 ? userInfo : userInfo.substring(colon + 1);
        }
        catch (IllegalArgumentException notAUri) {
            return null;
        }
    }
}
