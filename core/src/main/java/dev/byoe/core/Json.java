package dev.byoe.core;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one Jackson configuration of byoe's files (manifests, artifacts, job configs and outputs).
 * Mappers are thread-safe once configured, so every class shares these instead of building its own.
 * Request bodies are parsed with stricter limits of their own ({@code serve}'s codecs).
 */
public final class Json {
    /** Reads and writes compact JSON. */
    public static final ObjectMapper MAPPER = JsonMapper.builder().build();

    /** Writes indented JSON, for files people read (tuning summaries, registry packages). */
    public static final ObjectMapper INDENTED =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    /**
     * The model manifest's own form: snake_case names, indented, and unknown names ignored, so a
     * manifest written by a newer byoe still loads.
     */
    public static final ObjectMapper MANIFEST =
            JsonMapper.builder()
                    .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .build();

    private Json() {}
}
