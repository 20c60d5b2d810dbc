package dev.hotpot.it;

import dev.hotpot.Hotpot;
import dev.hotpot.it.model.Everything;
import dev.hotpot.it.model.Ledger;
import dev.hotpot.it.support.AgentHeap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.*;

/** Persistent fields accessed from lambdas, inner, anonymous and nested classes, and other packages. */
class CodeShapesIT {
    @BeforeAll
    static void heap() {
        AgentHeap.ensureOpen();
    }

    @Test
    void privateFieldsFromLambdasAnonymousAndNestedClasses() {
        Ledger ledger = new Ledger();
        ledger.add(5);
        ledger.add(7);
        assertEquals(2, ledger.entries());
        assertEquals(122, new Ledger.Auditor().audit(ledger), "nestmate access to private fields");
        assertEquals(12, ledger.new View().total());
        assertEquals(12 + 24 + 36, ledger.sumWithStream(3));
        assertEquals(12, ledger.totalSupplier().getAsLong());
    }

    @Test
    void fieldsOfAnotherPackageFromLambdasAndInnerClassesOfAPlainClass() {
        Everything e = new Everything();
        Function<Everything, Long> read = x -> x.l;
        class Writer {
            void write(Everything x, long v) {
                x.l = v;
            }
        }
        new Writer().write(e, 99);
        assertEquals(99, read.apply(e));
        Hotpot.transaction(() -> {
            e.next = new Everything();
            e.next.text = "inner";
        });
        assertEquals("inner", e.next.text);
        assertEquals(5, new Object() {
            int length() {
                return e.next.text.length();
            }
        }.length());
    }
}
