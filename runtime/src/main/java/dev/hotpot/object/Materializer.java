package dev.hotpot.object;

/**
 * The token that selects the constructor which makes a handle for an existing object: it only
 * stores the address and runs no user code. Only the runtime holds the instance.
 */
public final class Materializer {
    static final Materializer TOKEN = new Materializer();

    private Materializer() {
    }
}
