using System.Text.Json;
using EventSourcing.Grpc.Protocol;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace EventSourcing.Grpc.Tests.Protocol;

/// <summary>Call arguments and results between the wire's JSON values and System.Text.Json, as the protobuf JSON mapping reads them.</summary>
public class ProtoJsonTests
{
    private const string Sample = """["Billy",7,-0.5,1e21,true,false,null,[],[1,["x"]],{},{"name":"Billy","tricks":["roll over","sit"],"age":3,"vet":null,"chip":{"id":"a1"}}]""";

    [Fact]
    public void Arguments_read_as_the_same_json_as_the_protobuf_json_mapping_gives()
    {
        var list = JsonParser.Default.Parse<ListValue>(Sample);

        using var document = ProtoJson.ToDocument(list);

        using var expected = JsonDocument.Parse(JsonFormatter.Default.Format(list));
        Assert.True(JsonElement.DeepEquals(expected.RootElement, document.RootElement), document.RootElement.GetRawText());
    }

    [Fact]
    public void A_json_value_and_its_wire_form_are_the_same_value_both_ways()
    {
        using var json = JsonDocument.Parse(Sample);

        var list = ProtoJson.ToListValue(json.RootElement.EnumerateArray());

        Assert.Equal(JsonParser.Default.Parse<ListValue>(Sample), list);
        using var back = ProtoJson.ToDocument(list);
        Assert.True(JsonElement.DeepEquals(json.RootElement, back.RootElement), back.RootElement.GetRawText());
    }

    [Fact]
    public void No_arguments_are_an_empty_array()
    {
        using var document = ProtoJson.ToDocument(null);

        Assert.Equal(JsonValueKind.Array, document.RootElement.ValueKind);
        Assert.Equal(0, document.RootElement.GetArrayLength());
    }

    [Fact]
    public void A_result_deserializes_into_its_type_and_a_null_value_into_null()
    {
        var value = Value.ForStruct(new Struct { Fields = { ["name"] = Value.ForString("Billy"), ["tricks"] = Value.ForList(Value.ForString("sit")) } });

        var dog = ProtoJson.Deserialize<Dog>(value, RemoteJson.Options);

        Assert.NotNull(dog);
        Assert.Equal(new Dog("Billy", ["sit"]), dog, DogComparer.Instance);
        Assert.Null(ProtoJson.Deserialize<Dog>(Value.ForNull(), RemoteJson.Options));
        Assert.Null(ProtoJson.Deserialize<Dog>(null, RemoteJson.Options));
        Assert.Equal(3, ProtoJson.Deserialize<int>(Value.ForNumber(3), RemoteJson.Options));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void A_number_json_cannot_carry_is_refused_with_the_number(double number)
    {
        var list = new ListValue { Values = { Value.ForList(Value.ForNumber(number)) } };

        var error = Assert.Throws<FormatException>(() => ProtoJson.ToDocument(list));

        Assert.Contains(number.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_large_argument_is_read_whole_and_the_next_small_one_alone()
    {
        var large = new string('x', 200_000);

        using (var document = ProtoJson.ToDocument(new ListValue { Values = { Value.ForString(large) } }))
        {
            Assert.Equal(large, document.RootElement[0].GetString());
        }

        using var small = ProtoJson.ToDocument(new ListValue { Values = { Value.ForString("sit") } });
        Assert.Equal("""["sit"]""", small.RootElement.GetRawText());
    }

    private sealed record Dog(string Name, IReadOnlyList<string> Tricks);

    private sealed class DogComparer : IEqualityComparer<Dog>
    {
        public static readonly DogComparer Instance = new();

        public bool Equals(Dog? x, Dog? y) => x is not null && y is not null && x.Name == y.Name && x.Tricks.SequenceEqual(y.Tricks);

        public int GetHashCode(Dog obj) => obj.Name.GetHashCode(StringComparison.Ordinal);
    }
}
