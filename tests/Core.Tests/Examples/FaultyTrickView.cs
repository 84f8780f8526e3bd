using EventSourcing.Examples.DogSchool;
using EventSourcing.Examples.TrickView;

namespace EventSourcing.Tests.Examples;

/// <summary>
/// Keeps the same view as <see cref="TrickView"/>, but its policy throws after changing the view for the
/// trick "poison", and for the trick "broken" it adds a view change that throws inside the recording transaction.
/// </summary>
public sealed class FaultyTrickView : ProcessApplication
{
    public FaultyTrickView(IReadOnlyDictionary<string, string>? env = null)
        : base(env)
    {
        Table = new DogTricksTable(Name, Environment);
        On<Dog.TrickAdded>((trickAdded, processingEvent) =>
        {
            processingEvent.AddViewChange(Table.Learned(trickAdded.OriginatorId, trickAdded.Trick));
            switch (trickAdded.Trick)
            {
                case "poison":
                    throw new InvalidOperationException("The policy choked on poison");
                case "broken":
                    processingEvent.AddViewChange(new BrokenViewChange());
                    break;
            }
        });
    }

    public DogTricksTable Table { get; }

    public Task<IReadOnlyList<DogTrick>> GetRowsAsync(CancellationToken cancellationToken = default)
        => Recorder.ReadViewAsync((transaction, ct) => Table.SelectAsync(transaction, null, null, ct), cancellationToken);

    private sealed class BrokenViewChange : IViewChange
    {
        public Task ApplyAsync(IRecorderTransaction transaction, CancellationToken cancellationToken)
            => Task.FromException(new InvalidOperationException("The view change broke"));
    }
}
