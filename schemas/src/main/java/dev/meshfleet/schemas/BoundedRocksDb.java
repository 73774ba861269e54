package dev.meshfleet.schemas;

import java.util.Map;

import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the native memory of every RocksDB state store in one JVM together, as the Kafka Streams memory
 * management guide does: one block cache shared by all stores, and memtables charged to it through one write
 * buffer manager. Without it each store instance (one per store and partition: the translator has 6 stores over 12
 * partitions, 72 instances) gets Streams' defaults, a 50 MiB block cache and up to three 16 MiB memtables of its
 * own, several GiB in all, far above the JVM's own bounds (ADR 0025). Set by {@link StreamsSettings#base}.
 */
public final class BoundedRocksDb implements RocksDBConfigSetter {

    /** Block cache and memtables of every store of this JVM together. */
    static final long TOTAL_BYTES = 32L * 1024 * 1024;
    /** The part of {@link #TOTAL_BYTES} memtables may take before the write buffer manager flushes them. */
    static final long MEMTABLE_BYTES = 8L * 1024 * 1024;
    /** One store's memtable: our records are a few KiB, and a store takes a few thousand at most. */
    static final long MEMTABLE_SIZE = 1024L * 1024;
    static final int MEMTABLES = 2;

    // Shared by every store instance of the JVM (the guide's pattern): closed with the JVM, never per store.
    private static final Cache CACHE = new LRUCache(TOTAL_BYTES, -1, false, 0.1);
    private static final WriteBufferManager WRITE_BUFFERS = new WriteBufferManager(MEMTABLE_BYTES, CACHE);

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(CACHE);
        // Index and filter blocks count against the cache too, instead of growing with the data outside it.
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setTableFormatConfig(table);
        options.setWriteBufferManager(WRITE_BUFFERS);
        options.setWriteBufferSize(MEMTABLE_SIZE);
        options.setMaxWriteBufferNumber(MEMTABLES);
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and the write buffer manager are shared by every store: closing them here would pull them
        // from under the others.
    }
}
