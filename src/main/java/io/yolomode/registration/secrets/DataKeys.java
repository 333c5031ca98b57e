package io.yolomode.registration.secrets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;

/**
 * The data keys that seal secrets at rest with AES-256-GCM. A sealed value reads
 * {@code enc:v1:<keyId>:<base64url(iv | ciphertext | tag)>}: the key id says which key
 * opens it, so the current key can be replaced while older keys still open what they
 * sealed. What the value belongs to (a job and a field) is bound in as associated data,
 * so a sealed value copied to another job or field does not open.
 */
public final class DataKeys {

    static final String PREFIX = "enc:v1:";

    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    private static final int IV_BYTES = 12;

    private static final int TAG_BITS = 128;

    private final String currentId;

    private final Map<String, SecretKey> keys = new LinkedHashMap<>();

    private final SecureRandom random = new SecureRandom();

    private DataKeys(String current, List<String> older) {
        this.currentId = add(current, "registration.security.data-key");
        older.forEach(key -> add(key, "registration.security.old-data-keys"));
    }

    /**
     * Reads the keys from their configured texts, {@code <keyId>:<base64 of 32 bytes>}.
     * @throws IllegalStateException naming what to set when the current key is missing or
     * malformed
     */
    public static DataKeys of(@Nullable String current, List<String> older) {
        if (current == null || current.isBlank()) {
            throw new IllegalStateException("No data key is configured: set REGISTRATION_SECURITY_DATA_KEY "
                    + "(registration.security.data-key) to <keyId>:<base64 of 32 random bytes>, for example "
                    + "k1:$(openssl rand -base64 32). It seals the passwords that jobs keep until they have used "
                    + "them. The local profile makes one in its data folder when it runs the embedded database.");
        }
        return new DataKeys(current, older);
    }

    /** A new key text for {@code keyId}, as the configuration takes it. */
    public static String generate(String keyId) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return keyId + ":" + Base64.getEncoder().encodeToString(key);
    }

    static boolean isSealed(String value) {
        return value != null && value.startsWith(PREFIX);
    }

    String currentKeyId() {
        return currentId;
    }

    /** Seals {@code plaintext} with the current key, bound to {@code boundTo}. */
    String seal(String plaintext, String boundTo) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentId), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(boundTo.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();
            return PREFIX + currentId + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("AES-GCM is not available", ex);
        }
    }

    /**
     * Opens a sealed value.
     * @throws SealedValueException when its key is not configured or it was not sealed
     * for {@code boundTo}
     */
    String open(String sealed, String boundTo) {
        int separator = sealed.indexOf(':', PREFIX.length());
        if (!isSealed(sealed) || separator < 0) {
            throw new SealedValueException("a sealed value of " + boundTo + " is malformed");
        }
        String keyId = sealed.substring(PREFIX.length(), separator);
        SecretKey key = keys.get(keyId);
        if (key == null) {
            throw new SealedValueException("the data key '" + keyId + "' that sealed " + boundTo
                    + " is not configured (add it to registration.security.old-data-keys)");
        }
        try {
            byte[] in = Base64.getUrlDecoder().decode(sealed.substring(separator + 1));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
            cipher.updateAAD(boundTo.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
        }
        catch (IllegalArgumentException | GeneralSecurityException ex) {
            throw new SealedValueException(
                    "the sealed value of " + boundTo + " does not open with data key '" + keyId + "'");
        }
    }

    private String add(@Nullable String text, String property) {
        int separator = text == null ? -1 : text.indexOf(':');
        String id = separator < 0 ? "" : text.substring(0, separator).trim();
        if (!KEY_ID.matcher(id).matches()) {
            throw new IllegalStateException(property + " must read <keyId>:<base64 of 32 bytes>, with a key id of "
                    + "letters, digits, '-' or '_' (at most 32)");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text.substring(separator + 1).trim());
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalStateException(property + " (key '" + id + "') is not valid base64");
        }
        if (key.length != 32) {
            throw new IllegalStateException(
                    property + " (key '" + id + "') must be 32 bytes (AES-256), not " + key.length);
        }
        SecretKey earlier = keys.putIfAbsent(id, new SecretKeySpec(key, "AES"));
        if (earlier != null && !MessageDigest.isEqual(earlier.getEncoded(), key)) {
            // Two keys under one id: values sealed with the one left out would never open
            // again.
            throw new IllegalStateException(property + " names key '" + id + "' with other bytes than before: "
                    + "give every data key its own id");
        }
        if (earlier != null && !property.endsWith("old-data-keys")) {
            throw new IllegalStateException(property + " names key '" + id + "' twice");
        }
        return id;
    }

    /**
     * A sealed value that cannot be opened with the configured keys.
     */
    public static final class SealedValueException extends RuntimeException {

        SealedValueException(String message) {
            super(message);
        }

    }

}
