package dev.roomgate.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SimpleCommandLinePropertySource;

/**
 * Property names as the operator wrote them, in the order they wrote them. Binding loses both: it relaxes map keys,
 * and the command line's property source keeps no order, so instances given as arguments would be listed in hash
 * order. The raw arguments still have it.
 */
public final class DeclaredProperties {

    private DeclaredProperties() {
    }

    /**
     * Every listed property name, from the lowest-precedence source to the highest, each source in its own order
     * (the command line in the order of its arguments).
     */
    public static List<String> inDeclaredOrder(ConfigurableEnvironment environment, String[] commandLine) {
        List<PropertySource<?>> sources = new ArrayList<>();
        environment.getPropertySources().forEach(sources::add);
        List<String> names = new ArrayList<>();
        for (int i = sources.size() - 1; i >= 0; i--) {
            PropertySource<?> source = sources.get(i);
            if (source instanceof SimpleCommandLinePropertySource) {
                names.addAll(optionNames(commandLine));
            }
            else if (source instanceof EnumerablePropertySource<?> enumerable) {
                names.addAll(Arrays.asList(enumerable.getPropertyNames()));
            }
        }
        return names;
    }

    /** Instance names in the order they first appear among the declared property names. */
    public static List<String> instanceOrder(List<String> declaredNames) {
        Set<String> order = new LinkedHashSet<>();
        for (String property : declaredNames) {
            String name = ProviderInstances.rawInstanceName(property);
            if (name != null) {
                order.add(name);
            }
        }
        return List.copyOf(order);
    }

    private static List<String> optionNames(String[] args) {
        List<String> names = new ArrayList<>();
        for (String arg : args) {
            if (arg.startsWith("--") && arg.length() > 2) {
                int equals = arg.indexOf('=');
                names.add(equals < 0 ? arg.substring(2) : arg.substring(2, equals));
            }
        }
        return names;
    }
}
