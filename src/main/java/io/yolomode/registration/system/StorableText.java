package io.yolomode.registration.system;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Owns the rule for text PostgreSQL can keep: {@code text} and {@code jsonb} refuse the
 * NUL character ({@code \u0000}), and UTF-8 has no encoding for a lone UTF-16 surrogate.
 * Callers are refused such text (see {@link JsonBodyRules}); text from elsewhere (the
 * registration API's answers) gets U+FFFD in their place.
 */
public final class StorableText {

    /** What takes the place of a character PostgreSQL cannot store. */
    public static final char REPLACEMENT = '\uFFFD';

    private StorableText() {
    }

    /** The index of the first character PostgreSQL cannot store, or -1. */
    public static int firstUnstorable(CharSequence text) {
        for (int index = 0; index < text.length(); index++) {
            char c = text.charAt(index);
            if (c == '\u0000') {
                return index;
            }
            if (Character.isHighSurrogate(c) && index + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(index + 1))) {
                index++;
            }
            else if (Character.isSurrogate(c)) {
                return index;
            }
        }
        return -1;
    }

    /**
     * The text with every character PostgreSQL cannot store replaced by U+FFFD; the same
     * text when there is none.
     */
    public static @Nullable String replaceUnstorable(@Nullable String text) {
        if (text == null) {
            return null;
        }
        int first = firstUnstorable(text);
        if (first < 0) {
            return text;
        }
        StringBuilder storable = new StringBuilder(text.length());
        storable.append(text, 0, first);
        for (int index = first; index < text.length(); index++) {
            char c = text.charAt(index);
            if (Character.isHighSurrogate(c) && index + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(index + 1))) {
                storable.append(c).append(text.charAt(++index));
            }
            else {
                storable.append(c == '\u0000' || Character.isSurrogate(c) ? REPLACEMENT : c);
            }
        }
        return storable.toString();
    }

    /**
     * A parsed JSON value (maps, lists, strings, numbers, booleans) with every string and
     * key made storable; other values are kept as they are.
     */
    public static Object replaceUnstorable(Object json) {
        if (json instanceof String text) {
            return replaceUnstorable(text);
        }
        if (json instanceof Map<?, ?> map) {
            Map<String, Object> storable = new LinkedHashMap<>();
            map.forEach((key, value) -> storable.put(replaceUnstorable(String.valueOf(key)), replaceUnstorable(value)));
            return storable;
        }
        if (json instanceof List<?> list) {
            List<Object> storable = new ArrayList<>(list.size());
            list.forEach(value -> storable.add(replaceUnstorable(value)));
            return storable;
        }
        return json;
    }

    /**
     * The text as it may appear in a message: unstorable and control characters written
     * as {@code \\uXXXX}.
     */
    public static String escaped(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (int index = 0; index < text.length(); index++) {
            char c = text.charAt(index);
            if (Character.isISOControl(c) || Character.isSurrogate(c) && !isPaired(text, index)) {
                escaped.append(String.format("\\u%04x", (int) c));
            }
            else {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }

    private static boolean isPaired(String text, int index) {
        char c = text.charAt(index);
        return Character.isHighSurrogate(c)
                ? index + 1 < text.length() && Character.isLowSurrogate(text.charAt(index + 1))
                : index > 0 && Character.isHighSurrogate(text.charAt(index - 1));
    }

}
