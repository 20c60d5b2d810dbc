package dev.hotpot.object;

import dev.hotpot.SchemaMismatchException;
import dev.hotpot.heap.Heap;
import dev.hotpot.testing.TempHeaps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class SchemaRegistryTest {
    private static final ClassLayout ACCOUNT = new ClassLayout("bank.Account", 24, List.of(
            new FieldLayout("balance", "J", 0), new FieldLayout("owner", "Ljava/lang/String;", 8),
            new FieldLayout("next", "Lbank/Account;", 16)));

    @TempDir
    Path dir;

    @Test
    void aLayoutKeepsItsIdAcrossRestarts() {
        int id;
        try (Heap heap = Heap.open(TempHeaps.small(dir).build())) {
            SchemaRegistry schema = new SchemaRegistry(heap);
            id = schema.register(ACCOUNT);
            assertEquals(id, schema.register(ACCOUNT));
        }
        try (Heap heap = Heap.open(TempHeaps.small(dir).build())) {
            SchemaRegistry schema = new SchemaRegistry(heap);
            assertEquals(id, schema.register(ACCOUNT));
            assertEquals(ACCOUNT, schema.lookup(id).layout());
            assertEquals(1, schema.lookup(id).version());
        }
    }

    @Test
    void anAddedFieldMakesANewLayoutVersionAndKeepsTheOldOne() {
        try (Heap heap = Heap.open(TempHeaps.small(dir).build())) {
            SchemaRegistry schema = new SchemaRegistry(heap);
            int v1 = schema.register(ACCOUNT);
            ClassLayout withLimit = new ClassLayout("bank.Account", 32, List.of(
                    new FieldLayout("balance", "J", 0), new FieldLayout("limit", "J", 8),
                    new FieldLayout("owner", "Ljava/lang/String;", 16), new FieldLayout("next", "Lbank/Account;", 24)));
            int v2 = schema.register(withLimit);
            assertNotEquals(v1, v2);
            assertEquals(2, schema.lookup(v2).version());
            assertEquals(ACCOUNT, schema.lookup(v1).layout(), "old objects keep their layout");
        }
    }

    @Test
    void aRemovedFieldIsRefusedByName() {
        try (Heap heap = Heap.open(TempHeaps.small(dir).build())) {
            SchemaRegistry schema = new SchemaRegistry(heap);
            schema.register(ACCOUNT);
            ClassLayout withoutOwner = new ClassLayout("bank.Account", 16, List.of(
                    new FieldLayout("balance", "J", 0), new FieldLayout("next", "Lbank/Account;", 8)));
            SchemaMismatchException e = assertThrows(SchemaMismatchException.class, () -> schema.register(withoutOwner));
            assertTrue(e.getMessage().contains("bank.Account") && e.getMessage().contains("'owner'"), e.getMessage());
            assertEquals(1, schema.entries().size(), "nothing was registered");
        }
    }

    @Test
    void aChangedFieldTypeIsRefusedWithBothTypes() {
        try (Heap heap = Heap.open(TempHeaps.small(dir).build())) {
            SchemaRegistry schema = new SchemaRegistry(heap);
            schema.register(ACCOUNT);
            ClassLayout intBalance = new ClassLayout("bank.Account", 24, List.of(
                    new FieldLayout("balance", "I", 0), new FieldLayout("owner", "Ljava/lang/String;", 8),
                    new FieldLayout("next", "Lbank/Account;", 16)));
            SchemaMismatchException e = assertThrows(SchemaMismatchException.class, () -> schema.register(intBalance));
            assertTrue(e.getMessage().contains("'balance' changed type from J to I"), e.getMessage());
        }
    }
}
