package dev.meshfleet.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

class BoundedRocksDbTest {

    private static final long MIB = 1024 * 1024;

    @Test
    void everyMeshfleetTopologyBoundsItsRocksDbStores() {
        Properties p = StreamsSettings.base("svc", "in", "app", "kafka:9092", "/tmp/state", 100,
                TopicAdmin.Replication.SANDBOX);
        assertThat(p.get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG)).isEqualTo(BoundedRocksDb.class);
    }

    @Test
    void aStoreWrittenEightMiBHoldsAtMostTwoMiBOfMemtablesAndSharesOneThirtyTwoMiBCache(@TempDir Path dir)
            throws Exception {
        RocksDB.loadLibrary();
        try (Options options = new Options().setCreateIfMissing(true)) {
            // As Streams hands the options to a config setter: a block-based table config already set.
            options.setTableFormatConfig(new BlockBasedTableConfig());
            new BoundedRocksDb().setConfig("owners", options, Map.of());
            try (RocksDB db = RocksDB.open(options, dir.toString())) {
                byte[] value = new byte[1024];
                for (int i = 0; i < 8 * 1024; i++) {
                    db.put(("key-" + i).getBytes(StandardCharsets.UTF_8), value);
                }
                long memtables = Long.parseLong(db.getProperty("rocksdb.cur-size-all-mem-tables"));
                assertThat(memtables).as("memtables after 8 MiB of writes").isLessThanOrEqualTo(2 * MIB + MIB / 4);
                assertThat(Long.parseLong(db.getProperty("rocksdb.block-cache-capacity"))).isEqualTo(32 * MIB);
            }
        }
    }
}
