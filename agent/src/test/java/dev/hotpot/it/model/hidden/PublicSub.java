package dev.hotpot.it.model.hidden;

import dev.hotpot.Persistent;

@Persistent
public class PublicSub extends Base {
    public int own;
}
