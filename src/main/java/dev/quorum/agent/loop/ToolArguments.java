package dev.quorum.agent.loop;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The JSON arguments a model sent with one tool call. Immutable. */
public final class ToolArguments {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String tool;
    private final ObjectNode values;

    private ToolArguments(String tool, ObjectNode values) {
        this.tool = tool;
        this.values = values;
    }

    /**
     * Parses the model's argument text; blank means no arguments.
     *
     * @throws BadToolArgumentsException when it is not a JSON object
     */
    public static ToolArguments parse(String tool, String json) {
        if (json == null || json.isBlank()) {
            return new ToolArguments(tool, JsonNodeFactory.instance.objectNode());
        }
        try {
            JsonNode node = JSON.readTree(json);
            if (node instanceof ObjectNode object) {
                return new ToolArguments(tool, object);
            }
        } catch (JsonProcessingException e) {
            // reported below, in words the model can act on
        }
        throw new BadToolArgumentsException(tool + " needs its arguments as a JSON object, got: " + abbreviate(json));
    }

    /**
     * A required string argument.
     *
     * @throws BadToolArgumentsException naming the argument when it is missing or not a string
     */
    public String string(String name) {
        JsonNode node = values.get(name);
        if (node == null || !node.isTextual()) {
            throw new BadToolArgumentsException(tool + " needs a string argument '" + name + "'");
        }
        return node.asText();
    }

    /** An optional string argument, or {@code fallback}. */
    public String string(String name, String fallback) {
        JsonNode node = values.get(name);
        return node != null && node.isTextual() ? node.asText() : fallback;
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }

    /** The model sent arguments a tool cannot use; the message is shown to the model. */
    public static final class BadToolArgumentsException extends RuntimeException {
        public BadToolArgumentsException(String message) {
            super(message, null, false, false);
        }
    }
}
