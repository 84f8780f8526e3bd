namespace EventSourcing.Examples.TrickView;

/// <summary>A row of the view: dog <paramref name="DogId"/> was taught <paramref name="Trick"/> <paramref name="Times"/> times.</summary>
public sealed record DogTrick(Guid DogId, string Trick, int Times);
