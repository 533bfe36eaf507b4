package teamchat.chatfront.commands.entity;

/** A command just registered, with its signing secret: the only time the secret is shown. */
public record RegisteredCommand(RoomCommand command, String secret) {}
