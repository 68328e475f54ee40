package dev.byoe.jobs.contract;

/** One channel of {@code inputdataconfig.json}. */
public record ChannelConfig(
        String name,
        String contentType,
        String inputMode,
        String distribution,
        String compression) {
    public boolean isPipe() {
        return "Pipe".equalsIgnoreCase(inputMode);
    }
}
