using System.Text.Json;
using EventSourcing.Grpc.Hosting;
using EventSourcing.Examples.DogSchool;
using EventSourcing.Examples.Game;
using EventSourcing.Examples.TrickView;

namespace EventSourcing.Grpc.Tests.Hosting;

/// <summary>The exercises' commands and queries as a node calls them: by name, with JSON arguments and results.</summary>
public class ExerciseRemoteCallTests
{
    [Fact]
    public async Task Game_and_hall_of_fame_answer_remote_calls_in_json()
    {
        await using var runner = new SingleThreadedRunner(GameSystem.System);
        await runner.StartAsync();
        var game = new RemoteDispatcher(runner.Get<Game>());
        var hallOfFame = new RemoteDispatcher(runner.Get<HallOfFame>());

        Assert.Equal(["GetPlayer", "RegisterPlayer", "UpdateScore"], game.MethodNames);
        Assert.Equal(["GetHighScores"], hallOfFame.MethodNames);
        await game.CallAsync("RegisterPlayer", Args("""["Alice"]"""));
        await game.CallAsync("UpdateScore", Args("""["Alice", 42]"""));

        var scores = await hallOfFame.CallAsync("GetHighScores", Args("[]"));
        Assert.Equal("""[{"player":"Alice","score":42}]""", scores?.GetRawText());
        await runner.StopAsync();
    }

    [Fact]
    public async Task Trick_view_answers_remote_calls_in_json()
    {
        await using var runner = new SingleThreadedRunner(TrickViewSystem.System);
        await runner.StartAsync();
        var school = new RemoteDispatcher(runner.Get<DogSchool>());
        var view = new RemoteDispatcher(runner.Get<TrickView>());

        Assert.Equal(["GetDogCount", "GetRows", "GetTricks"], view.MethodNames);
        await school.CallAsync("RegisterDog", Args("""["Billy"]"""));
        await school.CallAsync("AddTrick", Args("""["Billy", "roll over"]"""));

        Assert.Equal(1, (await view.CallAsync("GetDogCount", Args("""["roll over"]""")))?.GetInt32());
        Assert.Equal("""["roll over"]""", (await view.CallAsync("GetTricks", Args("""["Billy"]""")))?.GetRawText());
        Assert.Equal(
            $$"""[{"dogId":"{{Dog.CreateId("Billy")}}","trick":"roll over","times":1}]""",
            (await view.CallAsync("GetRows", Args("[]")))?.GetRawText());
        await runner.StopAsync();
    }

    private static JsonElement Args(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
