package dev.hotpot.offline;

import dev.hotpot.object.FieldKind;
import dev.hotpot.object.FieldSpec;
import dev.hotpot.object.Materializer;
import dev.hotpot.object.ObjectRuntime;
import dev.hotpot.object.PersistentObject;

import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.List;

/**
 * The bank sample's account as the hotpot agent rewrites
 * {@code @Persistent class Account { String owner; long balance; Account next; AccountKind kind; }}
 * (the runtime's tests run without the agent). With {@code -Dhotpot.test.accountNextVersion=true}
 * it is the class of a later program version that added {@code long limit; String note;
 * Account partner;}, which objects stored before keep in extension blocks.
 */
public final class Account extends PersistentObject {
    static final String NEXT_VERSION = "hotpot.test.accountNextVersion";
    private static final long[] OFFSETS = ObjectRuntime.bind(MethodHandles.lookup(), FieldSpec.encode(fields()));

    public Account(String owner, long balance, AccountKind kind) {
        super();
        owner(owner);
        balance(balance);
        kind(kind);
    }

    private Account(Materializer token, long address) {
        super(token, address);
    }

    private static List<FieldSpec> fields() {
        List<FieldSpec> fields = new ArrayList<>(List.of(
                new FieldSpec("owner", "Ljava/lang/String;", FieldKind.STRING),
                new FieldSpec("balance", "J", FieldKind.LONG),
                new FieldSpec("next", "Ldev/hotpot/offline/Account;", FieldKind.REFERENCE),
                new FieldSpec("kind", "Ldev/hotpot/offline/AccountKind;", FieldKind.ENUM)));
        if (Boolean.getBoolean(NEXT_VERSION)) {
            fields.add(new FieldSpec("limit", "J", FieldKind.LONG));
            fields.add(new FieldSpec("note", "Ljava/lang/String;", FieldKind.STRING));
            fields.add(new FieldSpec("partner", "Ldev/hotpot/offline/Account;", FieldKind.REFERENCE));
        }
        return fields;
    }

    public String owner() {
        return ObjectRuntime.getString(this, OFFSETS[0]);
    }

    public void owner(String owner) {
        ObjectRuntime.putString(this, OFFSETS[0], owner);
    }

    public long balance() {
        return ObjectRuntime.getLong(this, OFFSETS[1]);
    }

    public void balance(long balance) {
        ObjectRuntime.putLong(this, OFFSETS[1], balance);
    }

    public void next(Account next) {
        ObjectRuntime.putReference(this, OFFSETS[2], next);
    }

    public void kind(AccountKind kind) {
        ObjectRuntime.putEnum(this, OFFSETS[3], kind);
    }

    /** Added by the next version. */
    public void limit(long limit) {
        ObjectRuntime.putLong(this, OFFSETS[4], limit);
    }

    /** Added by the next version. */
    public void note(String note) {
        ObjectRuntime.putString(this, OFFSETS[5], note);
    }

    /** Added by the next version. */
    public void partner(Account partner) {
        ObjectRuntime.putReference(this, OFFSETS[6], partner);
    }
}
