package dev.quorum.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;

/** JSON for the HTTP API: snake_case names, ISO-8601 times; and the one way to answer with it. */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .serializationInclusion(JsonInclude.Include.ALWAYS)
            .build();

    private Json() {}

    public static void send(RoutingContext ctx, int status, Object body) {
        if (ctx.response().ended() || ctx.response().closed()) return;
        String text;
        try {
            text = MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            status = 500;
            text = "{\"error\":\"could not render the response\"}";
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8").end(text);
    }

    public static void error(RoutingContext ctx, int status, String message) {
        send(ctx, status, Map.of("error", message));
    }
}
