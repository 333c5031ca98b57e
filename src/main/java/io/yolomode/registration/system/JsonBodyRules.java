package io.yolomode.registration.system;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

/**
 * Checks every JSON request body before it is bound, in one streaming pass: nesting no
 * deeper than {@code registration.api.max-json-depth}, no string or key longer than
 * {@code max-string-length}, no character PostgreSQL cannot store ({@link StorableText})
 * and no number beyond a double's range. A body that breaks a rule gets 400 naming the
 * rule and the JSON path, before anything is read from or written to the database.
 * Malformed JSON is left to the normal binding, which answers its own 400.
 */
@ControllerAdvice
class JsonBodyRules extends RequestBodyAdviceAdapter {

    /** Longer keys are cut short in the path an answer names. */
    private static final int MAX_NAME_SHOWN = 64;

    private final JsonMapper jsonMapper;

    private final int maxDepth;

    private final int maxStringLength;

    JsonBodyRules(JsonMapper jsonMapper, ApiProperties properties) {
        this.jsonMapper = jsonMapper;
        this.maxDepth = properties.maxJsonDepth();
        this.maxStringLength = properties.maxStringLength();
    }

    @Override
    public boolean supports(MethodParameter parameter, Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType) {
        return JacksonJsonHttpMessageConverter.class.isAssignableFrom(converterType);
    }

    @Override
    public HttpInputMessage beforeBodyRead(HttpInputMessage input, MethodParameter parameter, Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType) throws IOException {
        byte[] body;
        try (InputStream in = input.getBody()) {
            body = in.readAllBytes();
        }
        check(body);
        return new HttpInputMessage() {

            @Override
            public InputStream getBody() {
                return new ByteArrayInputStream(body);
            }

            @Override
            public HttpHeaders getHeaders() {
                return input.getHeaders();
            }
        };
    }

    void check(byte[] body) {
        try (JsonParser parser = jsonMapper.createParser(body)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                switch (token) {
                    case START_OBJECT, START_ARRAY -> {
                        TokenStreamContext opened = parser.streamReadContext();
                        if (opened.getNestingDepth() > maxDepth) {
                            throw rejected("JSON nesting deeper than " + maxDepth + " levels", opened.getParent());
                        }
                    }
                    case PROPERTY_NAME -> checkText(parser.currentName(), "a key", parser);
                    case VALUE_STRING -> checkText(parser.getString(), "a string", parser);
                    case VALUE_NUMBER_FLOAT -> {
                        if (Double.isInfinite(parser.getDoubleValue())) {
                            throw rejected("a number beyond what can be stored", parser.streamReadContext());
                        }
                    }
                    default -> {
                    }
                }
            }
        }
        catch (StreamConstraintsException ex) {
            throw Refusal.invalid("The request body breaks a limit: " + ex.getOriginalMessage(), Map.of());
        }
        catch (JacksonException malformed) {
            // The converter reads the same bytes and answers its own 400 for malformed
            // JSON.
        }
    }

    private void checkText(String text, String what, JsonParser parser) {
        if (StorableText.firstUnstorable(text) >= 0) {
            throw rejected(what + " with a character that cannot be stored (NUL or a lone UTF-16 surrogate)",
                    parser.streamReadContext());
        }
        if (text.length() > maxStringLength && text.codePointCount(0, text.length()) > maxStringLength) {
            throw rejected(what + " longer than " + maxStringLength + " characters", parser.streamReadContext());
        }
    }

    private static Refusal rejected(String problem, TokenStreamContext context) {
        String path = path(context);
        return Refusal.invalid("Field '" + path + "' has " + problem, Map.of("path", path));
    }

    /**
     * The path as {@code formData.account.phone}, {@code overrides.<uuid>.account},
     * {@code restaurantIds[3]}, {@code other["odd key"]}.
     */
    static String path(TokenStreamContext context) {
        Deque<String> segments = new ArrayDeque<>();
        for (TokenStreamContext at = context; at != null && !at.inRoot(); at = at.getParent()) {
            if (at.inArray()) {
                segments.push("[" + Math.max(at.getCurrentIndex(), 0) + "]");
            }
            else if (at.currentName() != null) {
                String name = at.currentName().length() > MAX_NAME_SHOWN
                        ? at.currentName().substring(0, MAX_NAME_SHOWN) + "..." : at.currentName();
                segments.push(name.matches("[A-Za-z0-9_$-]+") ? "." + name
                        : "[\"" + StorableText.escaped(name).replace("\"", "\\\"") + "\"]");
            }
        }
        String path = String.join("", segments);
        return path.startsWith(".") ? path.substring(1) : path.isEmpty() ? "$" : path;
    }

}
