package teamchat.contract.messages;

import java.util.List;

/** One outcome per message of a {@link StoreBatch}, in the same order. */
public record StoreResult(List<StoreOutcome> outcomes) {}
