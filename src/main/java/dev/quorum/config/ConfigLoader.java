package dev.quorum.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads {@code quorum.yaml}, applies environment overrides, binds strictly (unknown keys and
 * wrong types are errors) and validates. Every failure is a {@link ConfigException} naming key,
 * value and problem.
 */
public final class ConfigLoader {
    /** Used when no config file exists at the default path: the shipped demo configuration. */
    static final String BUNDLED = "/config/quorum.yaml";

    private final Function<String, String> env;

    public ConfigLoader(Function<String, String> env) {
        this.env = env;
    }

    public static ConfigLoader fromSystem() {
        return new ConfigLoader(System::getenv);
    }

    /**
     * @param explicit a path the operator chose ({@code --config} or {@code QUORUM_CONFIG}); when
     *                 {@code null}, {@code config/quorum.yaml} if it exists, else the bundled demo config
     */
    public QuorumConfig load(Path explicit) {
        Path chosen = explicit != null ? explicit
                : env.apply("QUORUM_CONFIG") != null ? Path.of(env.apply("QUORUM_CONFIG")) : null;
        if (chosen != null) {
            try (InputStream in = Files.newInputStream(chosen)) {
                return parse(in, chosen.toString());
            } catch (NoSuchFileException e) {
                throw new ConfigException("--config", chosen, "no such file");
            } catch (IOException e) {
                throw new ConfigException("--config", chosen, "cannot be read: " + e.getMessage());
            }
        }
        Path local = Path.of("config", "quorum.yaml");
        if (Files.isRegularFile(local)) {
            return load(local);
        }
        try (InputStream in = ConfigLoader.class.getResourceAsStream(BUNDLED)) {
            if (in == null) throw new ConfigException("--config", local, "no such file and no bundled default");
            return parse(in, "bundled " + BUNDLED);
        } catch (IOException e) {
            throw new ConfigException("--config", BUNDLED, e.getMessage());
        }
    }

    /** Parses YAML text; {@code source} names it in errors. */
    public QuorumConfig parse(InputStream yaml, String source) {
        ObjectMapper yamlReader = new ObjectMapper(new YAMLFactory());
        JsonNode tree;
        try {
            tree = yamlReader.readTree(yaml);
        } catch (IOException e) {
            String where = e instanceof JsonProcessingException j && j.getLocation() != null
                    ? "line " + j.getLocation().getLineNr() : "?";
            throw new ConfigException("(file)", source, "not valid YAML at " + where);
        }
        ObjectNode root;
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            root = yamlReader.createObjectNode();
        } else if (tree instanceof ObjectNode o) {
            root = o;
        } else {
            throw new ConfigException("(file)", source, "the top level must be a mapping of keys");
        }
        EnvironmentOverrides overrides = new EnvironmentOverrides(env);
        overrides.apply(root);
        QuorumConfig bound = bind(root, overrides.origins());
        return new ConfigValidator(bound).validate();
    }

    private static QuorumConfig bind(ObjectNode root, Map<String, String> origins) {
        try {
            return MAPPER.treeToValue(root, QuorumConfig.class);
        } catch (UnrecognizedPropertyException e) {
            String key = keyOf(e);
            throw new ConfigException(key, e.getPropertyName(), "unknown key" + suggestion(e.getPropertyName(), e.getKnownPropertyIds()));
        } catch (InvalidFormatException e) {
            throw new ConfigException(withOrigin(keyOf(e), origins), e.getValue(), "must be " + describe(e.getTargetType()));
        } catch (MismatchedInputException e) {
            String key = keyOf(e);
            throw new ConfigException(withOrigin(key, origins), valueAt(root, key), "must be " + describe(e.getTargetType()));
        } catch (JsonMappingException e) {
            // A section's own creator knows its key and what may be shown of the value (never a secret).
            if (e.getCause() instanceof ConfigException own) throw own;
            String key = keyOf(e);
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new ConfigException(withOrigin(key, origins), valueAt(root, key), cause.getMessage());
        } catch (JsonProcessingException e) {
            throw new ConfigException("(file)", null, e.getOriginalMessage());
        }
    }

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .addModule(new SimpleModule().addDeserializer(Duration.class, new DurationDeserializer()))
            .build();

    private static final class DurationDeserializer extends JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            String text = p.getValueAsString();
            try {
                return Durations.parse(text == null ? p.getText() : text);
            } catch (IllegalArgumentException e) {
                throw JsonMappingException.from(p, e.getMessage(), e);
            }
        }
    }

    private static String keyOf(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String withOrigin(String key, Map<String, String> origins) {
        String variable = origins.get(key);
        return variable == null ? key : key + " (from " + variable + ")";
    }

    private static String valueAt(JsonNode root, String dotted) {
        JsonNode node = root;
        for (String part : dotted.split("\\.")) {
            node = node.path(part.replaceAll("\\[\\d+]$", ""));
        }
        return node.isMissingNode() ? null : node.isValueNode() ? node.asText() : node.toString();
    }

    private static String describe(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class) return "a whole number";
        if (type == Double.class || type == double.class) return "a number";
        if (type == Boolean.class || type == boolean.class) return "true or false";
        if (type == String.class) return "a text value";
        if (type == Duration.class) return "a duration such as 30s, 10m, 2h";
        if (Collection.class.isAssignableFrom(type)) return "a list";
        if (Map.class.isAssignableFrom(type) || type.isRecord()) return "a mapping of keys";
        return "a " + type.getSimpleName();
    }

    private static String suggestion(String unknown, Collection<Object> known) {
        return known.stream().map(String::valueOf)
                .min(Comparator.comparingInt(k -> EditDistance.of(unknown, k)))
                .filter(k -> EditDistance.of(unknown, k) <= Math.max(2, unknown.length() / 3))
                .map(k -> "; did you mean '" + k + "'?")
                .orElse("; known keys: " + known.stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")));
    }
}
