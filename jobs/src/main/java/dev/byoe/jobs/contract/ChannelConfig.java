package dev.byoe.jobs.contract;

/** One channel of {@code inputdataconfig.json}. */
public record ChannelConfig(
        String name,
        String contentType,
        String inputMode,
        String distribution,
        String compression) {
    /** Whether each host gets only its own share of the channel's files. */
    public boolean isSharded() {
        return "ShardedByS3Key".equalsIgnoreCase(distribution);
    }

    public boolean isPipe() {
        return "Pipe".equalsIgnoreCase(inputMode);
    }
}
