package dev.hotpot.offline;

/** The kinds of {@link Account}: an enum field and enum slots of the sample heaps. */
public enum AccountKind {
    CHECKING, SAVINGS, LOAN
}
