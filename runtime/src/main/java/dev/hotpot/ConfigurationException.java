package dev.hotpot;

/** A setting is missing or out of range. */
public class ConfigurationException extends HotpotException {
    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
