package dev.byoe.serve.models;

/** What the catalog tells whoever keeps figures about it (the server's metrics). */
public interface CatalogEvents {
    void loaded(CatalogEntry entry);

    /** {@code evicted}: unloaded by the catalog to make room, not asked for. */
    void unloaded(CatalogEntry entry, boolean evicted);

    CatalogEvents NONE =
            new CatalogEvents() {
                @Override
                public void loaded(CatalogEntry entry) {}

                @Override
                public void unloaded(CatalogEntry entry, boolean evicted) {}
            };
}
