package dev.hotpot.offline;

import dev.hotpot.Durability;
import dev.hotpot.Hotpot;
import dev.hotpot.collections.PersistentArray;
import dev.hotpot.collections.PersistentByteArray;
import dev.hotpot.collections.PersistentIntArray;
import dev.hotpot.collections.PersistentList;
import dev.hotpot.collections.PersistentLongArray;
import dev.hotpot.collections.PersistentMap;
import dev.hotpot.collections.PersistentSortedMap;
import dev.hotpot.testing.ChildJvm;
import dev.hotpot.testing.DefaultHeapForTests;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Child JVM that writes a heap through the runtime's API, as the samples do, and exits (closing
 * the heap). Arguments: dir heap phase [seed ops].
 * <ul>
 *   <li>{@code samples}: linked accounts with strings and enums in a list, a hash map and sorted
 *       maps of them, arrays, and garbage (dropped objects, replaced strings and collections);
 *   <li>{@code next-version} (run with {@link Account#NEXT_VERSION} set): stores the fields the
 *       next version of {@link Account} added into accounts stored before, which makes extension
 *       blocks, some of them of accounts that are then dropped;
 *   <li>{@code random}: {@code ops} random operations on maps, a sorted map, a list and an array;
 *   <li>{@code hold}: opens the heap, prints {@code OPEN} and keeps it open until killed.
 * </ul>
 * Prints {@code DONE} when the heap is written.
 */
public final class SampleHeapWriter {
    static final long HEAP_BYTES = 4L << 20;

    public static void main(String[] args) throws Exception {
        ChildJvm.selfDestructAfter(Duration.ofSeconds(120));
        DefaultHeapForTests.configure(Path.of(args[0]), args[1], HEAP_BYTES, Durability.SYNC);
        switch (args[2]) {
            case "samples" -> samples();
            case "next-version" -> nextVersion();
            case "random" -> random(Long.parseLong(args[3]), Integer.parseInt(args[4]));
            case "hold" -> {
                Hotpot.heap();
                System.out.println("OPEN");
                Thread.sleep(Duration.ofSeconds(120));
            }
            default -> throw new IllegalArgumentException("unknown phase " + args[2]);
        }
        System.out.println("DONE");
        System.exit(0);
    }

    @SuppressWarnings("unchecked")
    private static void samples() {
        Hotpot.transaction(() -> {
            PersistentList<Account> accounts = Hotpot.root("accounts", PersistentList.class, PersistentList::new);
            PersistentMap<String, Account> byOwner = Hotpot.root("byOwner", PersistentMap.class, PersistentMap::new);
            Account previous = null;
            for (int i = 0; i < 60; i++) {
                Account account = new Account("owner-" + i + (i % 7 == 0 ? " Zoë ☃ " + "x".repeat(i) : ""), 1_000 + i,
                        AccountKind.values()[i % 3]);
                account.next(previous);
                accounts.add(account);
                byOwner.put(account.owner(), account);
                previous = account;
            }
            accounts.get(3).owner("renamed-3"); // frees the old blob: a free list gets a block
            byOwner.remove("owner-5");
        });
        Hotpot.transaction(() -> {
            PersistentSortedMap<String, Long> ledger = Hotpot.root("ledger", PersistentSortedMap.class,
                    PersistentSortedMap::new);
            for (int i = 0; i < 500; i++) {
                ledger.put(String.format("tx-%05d", (i * 7919) % 500), (long) i);
            }
            PersistentSortedMap<Long, String> names = Hotpot.root("names", PersistentSortedMap.class,
                    PersistentSortedMap::new);
            for (long i = 0; i < 120; i++) {
                names.put(i * 3, i % 5 == 0 ? "naïve ☕ " + i : "name " + i);
            }
            for (long i = 0; i < 30; i++) {
                names.remove(i * 6);
            }
        });
        Hotpot.transaction(() -> {
            PersistentArray<Object> mixed = Hotpot.root("mixed", PersistentArray.class, () -> new PersistentArray<>(10));
            mixed.set(0, "a string");
            mixed.set(1, 42);
            mixed.set(2, AccountKind.SAVINGS);
            mixed.set(3, new Account("array owner", 7, AccountKind.LOAN));
            mixed.set(4, PersistentLongArray.of(1, 2, 3, Long.MIN_VALUE));
            mixed.set(5, PersistentIntArray.of(4, 5));
            mixed.set(6, PersistentByteArray.of((byte) 1, (byte) 2, (byte) 3));
            mixed.set(7, 2.5);
            mixed.set(8, 'c');
            mixed.set(9, new PersistentList<>(List.of("in", "a", "nested", "list")));
            PersistentList<Account> doomed = Hotpot.root("doomed", PersistentList.class, PersistentList::new);
            for (int i = 0; i < 5; i++) {
                doomed.add(new Account("doomed-" + i, i, AccountKind.CHECKING));
            }
            for (int i = 0; i < 20; i++) {
                new Account("garbage-" + i, i, AccountKind.CHECKING);
            }
            new PersistentMap<>(java.util.Map.of("k1", "v1", "k2", 2L));
            Hotpot.heap().setRoot("temporary", Hotpot.heap().root("mixed"));
        });
    }

    /** Stores added fields into accounts of the earlier version, then drops some of them. */
    @SuppressWarnings("unchecked")
    private static void nextVersion() {
        Hotpot.transaction(() -> {
            PersistentList<Account> accounts = Hotpot.root("accounts", PersistentList.class, PersistentList::new);
            for (int i = 0; i < accounts.size(); i += 3) {
                Account account = accounts.get(i);
                account.limit(500 + i);
                account.note("note " + i);
                account.partner(new Account("partner of " + i, i, AccountKind.SAVINGS));
            }
            PersistentList<Account> doomed = Hotpot.root("doomed", PersistentList.class, PersistentList::new);
            for (Account account : doomed) {
                account.note("doomed note");
                account.partner(new Account("doomed partner", 0, AccountKind.LOAN));
            }
            Hotpot.heap().setRoot("doomed", 0);
        });
    }

    @SuppressWarnings("unchecked")
    private static void random(long seed, int ops) {
        SplittableRandom random = new SplittableRandom(seed);
        PersistentMap<Object, Object> map = Hotpot.root("rmap", PersistentMap.class, PersistentMap::new);
        PersistentSortedMap<Long, Object> sorted = Hotpot.root("rsorted", PersistentSortedMap.class,
                PersistentSortedMap::new);
        PersistentList<Object> list = Hotpot.root("rlist", PersistentList.class, PersistentList::new);
        PersistentArray<Account> slots = Hotpot.root("rslots", PersistentArray.class, () -> new PersistentArray<>(16));
        for (int op = 0; op < ops; op++) {
            Hotpot.transaction(() -> {
                switch (random.nextInt(8)) {
                    case 0 -> map.put(randomKey(random), value(random));
                    case 1 -> map.remove(randomKey(random));
                    case 2 -> sorted.put(random.nextLong(400), value(random));
                    case 3 -> sorted.remove(random.nextLong(400));
                    case 4 -> list.add(random.nextInt(list.size() + 1), value(random));
                    case 5 -> {
                        if (!list.isEmpty()) {
                            list.remove(random.nextInt(list.size()));
                        }
                    }
                    case 6 -> {
                        int slot = random.nextInt(slots.length());
                        Account old = slots.get(slot);
                        slots.set(slot, new Account(text(random), random.nextLong(), AccountKind.LOAN));
                        if (old != null && random.nextBoolean()) {
                            Hotpot.free(old);
                        }
                    }
                    default -> {
                        Account account = slots.get(random.nextInt(slots.length()));
                        if (account != null) {
                            account.owner(text(random));
                        }
                    }
                }
            });
        }
    }

    private static Object randomKey(SplittableRandom random) {
        return random.nextBoolean() ? "key-" + random.nextInt(200) : (Object) (long) random.nextInt(200);
    }

    private static Object value(SplittableRandom random) {
        return switch (random.nextInt(6)) {
            case 0 -> null;
            case 1 -> text(random);
            case 2 -> random.nextDouble();
            case 3 -> AccountKind.values()[random.nextInt(3)];
            case 4 -> random.nextLong();
            default -> new PersistentList<>(List.of(text(random), random.nextInt()));
        };
    }

    private static String text(SplittableRandom random) {
        int length = random.nextInt(200);
        StringBuilder text = new StringBuilder(length);
        boolean wide = random.nextInt(4) == 0;
        for (int i = 0; i < length; i++) {
            text.append((char) (wide ? 0x100 + random.nextInt(0x800) : 'a' + random.nextInt(26)));
        }
        return text.toString();
    }
}
