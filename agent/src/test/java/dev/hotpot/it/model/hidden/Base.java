package dev.hotpot.it.model.hidden;

import dev.hotpot.Persistent;

/** Package-private: its public field is reached from other packages only through {@link PublicSub}. */
@Persistent
class Base {
    public long shared;
}
