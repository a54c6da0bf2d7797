package dev.quorum.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.util.List;

/**
 * How a repository's code is confined when Quorum runs it (tests, the coding agent's
 * {@code run_tests()}, command deploys): {@code repos.<name>.sandbox}. Either {@code off}
 * (explicitly unsandboxed: every record and card then says so) or a mapping of the keys below.
 *
 * @param off            true for {@code sandbox: off}
 * @param network        {@code none} (default) or {@code host}: the network of runs of code that is
 *                       not on the default branch yet (branches, merge results, agents' work)
 * @param trustedNetwork {@code host} (default) or {@code none}: the network of runs of commits already
 *                       on the default branch (they passed the merge rule) and of deploys; only these
 *                       runs add to the dependency cache
 * @param cache          folders under the run's home kept between runs of this repository
 * @param maxProcesses   processes and threads one run may have at once
 * @param maxMemory      memory of one run, e.g. {@code 4g}, {@code 512m}
 * @param readOnly       more host folders a run may read (toolchains outside {@code /usr} and {@code /opt})
 */
public record SandboxConfig(Boolean off, String network, String trustedNetwork, List<Cache> cache,
                            Integer maxProcesses, String maxMemory, List<String> readOnly) {
    public SandboxConfig {
        off = off != null && off;
        network = network == null ? "none" : network;
        trustedNetwork = trustedNetwork == null ? "host" : trustedNetwork;
        cache = cache == null ? List.of() : List.copyOf(cache);
        maxProcesses = maxProcesses == null ? 2048 : maxProcesses;
        maxMemory = maxMemory == null ? "4g" : maxMemory;
        readOnly = readOnly == null ? List.of() : List.copyOf(readOnly);
    }

    public static SandboxConfig defaults() {
        return new SandboxConfig(null, null, null, null, null, null, null);
    }

    /** {@code sandbox: off} (or {@code false}) and the mapping form both bind here. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static SandboxConfig from(JsonNode node) {
        if (node == null || node.isNull()) return defaults();
        if (node.isBoolean() && !node.booleanValue() || node.isTextual() && node.textValue().equals("off")) {
            return new SandboxConfig(true, null, null, null, null, null, null);
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("must be off or a mapping of keys (network, trusted_network, cache, "
                    + "max_processes, max_memory, read_only)");
        }
        return read(node);
    }

    /**
     * One cached folder.
     *
     * @param path where it is in the run, relative to the run's home, e.g. {@code .m2/repository}
     * @param seed a host folder the run also reads (read-only, below Quorum's own copy), e.g. the
     *             operator's {@code ~/.m2/repository}; optional
     */
    public record Cache(String path, String seed) {
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static Cache from(JsonNode node) {
            if (node.isTextual()) return new Cache(node.textValue(), null);
            if (!node.isObject()) throw new IllegalArgumentException("must be a path or {path, seed}");
            CacheMapping m = convert(node, CacheMapping.class);
            return new Cache(m.path(), m.seed());
        }
    }

    /** The mapping form, bound strictly like the rest of the config (a record without the creator above). */
    private record Mapping(Boolean off, String network, String trustedNetwork, List<Cache> cache,
                           Integer maxProcesses, String maxMemory, List<String> readOnly) {}

    private record CacheMapping(String path, String seed) {}

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private static SandboxConfig read(JsonNode node) {
        Mapping m = convert(node, Mapping.class);
        return new SandboxConfig(m.off(), m.network(), m.trustedNetwork(), m.cache(), m.maxProcesses(), m.maxMemory(),
                m.readOnly());
    }

    private static <T> T convert(JsonNode node, Class<T> type) {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (UnrecognizedPropertyException e) {
            throw new IllegalArgumentException("unknown key '" + e.getPropertyName() + "'; known keys: "
                    + String.join(", ", e.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList()));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage());
        }
    }
}
