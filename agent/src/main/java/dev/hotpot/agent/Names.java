package dev.hotpot.agent;

/**
 * Names of the members the agent adds to rewritten classes. The {@code $} keeps them out of the
 * way of names Java source can declare in practice.
 */
final class Names {
    static final String PERSISTENT = "Ldev/hotpot/Persistent;";
    static final String TRANSACTIONAL = "Ldev/hotpot/Transactional;";
    static final String PERSISTENT_OBJECT = "dev/hotpot/object/PersistentObject";
    static final String OBJECT_RUNTIME = "dev/hotpot/object/ObjectRuntime";
    static final String MATERIALIZER = "dev/hotpot/object/Materializer";
    static final String HOTPOT = "dev/hotpot/Hotpot";
    static final String HANDLE_CONSTRUCTOR = "(Ldev/hotpot/object/Materializer;J)V";

    /** Starts the name of every generated setter; {@link #setter} makes one. */
    static final String SETTER_PREFIX = "hotpot$set$";

    private Names() {
    }

    static String getter(String field) {
        return "hotpot$get$" + field;
    }

    static String setter(String field) {
        return SETTER_PREFIX + field;
    }

    static String offset(String field) {
        return "hotpot$off$" + field;
    }

    static String transactionBody(String method) {
        return "hotpot$tx$" + method;
    }
}
