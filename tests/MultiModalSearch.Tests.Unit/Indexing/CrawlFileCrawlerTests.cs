using MultiModalSearch.Core.Crawling;
using MultiModalSearch.Testing;

namespace MultiModalSearch.Tests.Indexing;

public sealed class CrawlFileCrawlerTests : IDisposable
{
    private readonly CrawlTestTree _tree = new();

    public void Dispose() => _tree.Dispose();

    private static List<string> Relative(IEnumerable<CrawledFile> files) => files.Select(f => f.RelativePath).ToList();

    private void BuildMixedTree()
    {
        _tree.File("a.jpg");
        _tree.File("B.PNG");
        _tree.File("Z.jpe");
        _tree.File("c.txt");
        _tree.File("noext");
        _tree.File(".hidden.jpg");
        _tree.File(".git/x.jpg");
        _tree.File("sub/d.webp");
        _tree.File("sub/deeper/e.HEIC");
        _tree.File("sub/.h/f.jpg");
    }

    [Fact]
    public void Default_yields_supported_images_in_ordinal_depth_first_order_skipping_hidden_and_unsupported()
    {
        BuildMixedTree();

        var files = new FileCrawler(new CrawlOptions()).Crawl([_tree.Root]).ToList();

        Assert.Equal(["B.PNG", "Z.jpe", "a.jpg", "sub/d.webp", "sub/deeper/e.HEIC"], Relative(files));
        Assert.All(files, f => Assert.Equal(_tree.Root, f.Root));
        Assert.All(files, f => Assert.Equal(Path.Combine(f.Root, f.RelativePath), f.Path));
    }

    [Fact]
    public void IncludeHidden_takes_dot_files_and_dot_directories()
    {
        BuildMixedTree();

        var files = new FileCrawler(new CrawlOptions { IncludeHidden = true }).Crawl([_tree.Root]);

        Assert.Equal([".git/x.jpg", ".hidden.jpg", "B.PNG", "Z.jpe", "a.jpg", "sub/.h/f.jpg", "sub/d.webp", "sub/deeper/e.HEIC"], Relative(files));
    }

    [Fact]
    public void Size_and_modified_time_come_from_the_file()
    {
        var path = _tree.File("one.jpg", bytes: 1234);
        var modified = new DateTime(2021, 3, 4, 5, 6, 7, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(path, modified);

        var file = Assert.Single(new FileCrawler(new CrawlOptions()).Crawl([_tree.Root]));

        Assert.Equal(1234, file.Bytes);
        Assert.Equal(new DateTimeOffset(modified), file.Modified);
        Assert.Equal(TimeSpan.Zero, file.Modified.Offset);
    }

    [Fact]
    public void Include_globs_narrow_case_insensitively_and_exclude_globs_prune_directories()
    {
        _tree.File("a.jpg");
        _tree.File("b.png");
        _tree.File("CAPS.JPG");
        _tree.File("keep/c.jpg");
        _tree.File("cache/d.jpg");
        _tree.File("x/thumbs/e.jpg");
        _tree.File("x/f.jpg");
        _tree.File("x/skip.tmp.jpg");
        _tree.File("notes.txt");

        // Broken links inside pruned directories would be recorded as problems if the crawl went in there.
        _tree.Link("cache/broken.jpg", "nowhere.jpg", directory: false);
        _tree.Link("x/thumbs/broken.jpg", "nowhere.jpg", directory: false);
        var options = new CrawlOptions { Include = ["**/*.jpg"], Exclude = ["cache/**", "**/thumbs", "**/*.tmp.jpg"] };
        var crawler = new FileCrawler(options);

        var files = crawler.Crawl([_tree.Root]).ToList();

        Assert.Equal(["CAPS.JPG", "a.jpg", "keep/c.jpg", "x/f.jpg"], Relative(files));
        Assert.Empty(crawler.Problems);
    }

    [Fact]
    public void Include_glob_of_an_unsupported_extension_yields_nothing()
    {
        _tree.File("notes.txt");

        Assert.Empty(new FileCrawler(new CrawlOptions { Include = ["**/*.txt"] }).Crawl([_tree.Root]));
    }

    [Fact]
    public void Symlink_loops_are_recorded_and_links_outside_are_followed_once()
    {
        _tree.File("a/one.jpg");
        _tree.File("b/two.jpg");
        _tree.Link("a/self", _tree.Full("a"), directory: true);   // link to its own parent directory
        _tree.Link("a/up", "..", directory: true);                // relative link to the root
        var outside = _tree.File("../outside/photos/o.jpg", bytes: 77);
        _tree.File("../outside/photos/p.jpg");
        _tree.Link("a/ext.jpg", outside, directory: false);
        _tree.Link("b/ext-again.jpg", outside, directory: false);  // the same target through a second link
        _tree.Link("c", _tree.Full("../outside/photos"), directory: true);
        _tree.Link("d", _tree.Full("../outside"), directory: true); // an outside directory whose files come again
        _tree.Link("e", _tree.Full("b"), directory: true);         // an inside directory: crawled directly already
        var crawler = new FileCrawler(new CrawlOptions());

        var files = crawler.Crawl([_tree.Root]).ToList();

        // o.jpg is first reached through a/ext.jpg, so later paths to it add nothing; p.jpg first through c/.
        Assert.Equal(["a/ext.jpg", "a/one.jpg", "b/two.jpg", "c/p.jpg"], Relative(files));
        Assert.Equal(77, files[0].Bytes);
        Assert.Equal(Path.Combine(_tree.Root, "a", "ext.jpg"), files[0].Path);
        Assert.Equal(2, crawler.Problems.Count(p => p.Message.Contains("symlink loop", StringComparison.Ordinal)));
        Assert.Contains(crawler.Problems, p => p.Path == Path.Combine(_tree.Root, "a", "self"));
        Assert.Contains(crawler.Problems, p => p.Path == Path.Combine(_tree.Root, "a", "up"));
    }

    [Fact]
    public void A_file_link_after_a_directory_link_to_the_same_outside_file_is_not_a_second_copy()
    {
        var outside = _tree.File("../outside/o.jpg");
        _tree.Link("a-dir", _tree.Full("../outside"), directory: true);
        _tree.Link("z.jpg", outside, directory: false);

        Assert.Equal(["a-dir/o.jpg"], Relative(new FileCrawler(new CrawlOptions()).Crawl([_tree.Root])));
    }

    [Fact]
    public void A_root_that_is_a_directory_link_is_crawled_under_its_given_path()
    {
        _tree.File("../real/a.jpg");
        var link = Path.Combine(_tree.Base, "link-root");
        Directory.CreateSymbolicLink(link, _tree.Full("../real"));

        var file = Assert.Single(new FileCrawler(new CrawlOptions()).Crawl([link]));

        Assert.Equal(Path.Combine(link, "a.jpg"), file.Path);
        Assert.Equal(link, file.Root);
    }

    [Fact]
    public void A_link_to_a_file_inside_the_root_is_not_a_second_copy()
    {
        _tree.File("z/real.jpg");
        _tree.Link("a-link.jpg", _tree.Full("z/real.jpg"), directory: false);

        var files = new FileCrawler(new CrawlOptions()).Crawl([_tree.Root]).ToList();

        Assert.Equal(["z/real.jpg"], Relative(files));
    }

    [Fact]
    public void A_broken_link_is_recorded_and_the_crawl_goes_on()
    {
        _tree.File("a.jpg");
        var broken = _tree.Link("b-broken.jpg", _tree.Full("missing.jpg"), directory: false);
        _tree.File("c.jpg");
        var crawler = new FileCrawler(new CrawlOptions());

        var files = crawler.Crawl([_tree.Root]).ToList();

        Assert.Equal(["a.jpg", "c.jpg"], Relative(files));
        var problem = Assert.Single(crawler.Problems);
        Assert.Equal(broken, problem.Path);
        Assert.Contains("broken symlink", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FollowSymlinks_false_ignores_every_link_without_problems()
    {
        _tree.File("a.jpg");
        var outside = _tree.File("../outside/o.jpg");
        _tree.Link("ext.jpg", outside, directory: false);
        _tree.Link("dir", _tree.Full("../outside"), directory: true);
        _tree.Link("loop", _tree.Root, directory: true);
        _tree.Link("broken.jpg", "nowhere.jpg", directory: false);
        var crawler = new FileCrawler(new CrawlOptions { FollowSymlinks = false });

        Assert.Equal(["a.jpg"], Relative(crawler.Crawl([_tree.Root])));
        Assert.Empty(crawler.Problems);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Overlapping_roots_yield_each_file_once(bool innerFirst)
    {
        _tree.File("a.jpg");
        _tree.File("sub/b.jpg");
        _tree.File("sub/deep/c.jpg");
        var inner = _tree.Full("sub");
        string[] roots = innerFirst ? [inner, _tree.Root] : [_tree.Root, inner];

        var files = new FileCrawler(new CrawlOptions()).Crawl(roots).ToList();

        Assert.Equal(3, files.Count);
        Assert.Equal(3, files.Select(f => f.Path).Distinct().Count());
        var expectedFirst = innerFirst ? new[] { "b.jpg", "deep/c.jpg", "a.jpg" } : ["a.jpg", "sub/b.jpg", "sub/deep/c.jpg"];
        Assert.Equal(expectedFirst, Relative(files));
    }

    [Fact]
    public void The_same_root_twice_yields_each_file_once()
    {
        _tree.File("a.jpg");

        Assert.Single(new FileCrawler(new CrawlOptions()).Crawl([_tree.Root, _tree.Root + "/"]));
    }

    [Fact]
    public void A_single_file_root_yields_that_file()
    {
        var path = _tree.File("dir/.hidden-but-named.jpg", bytes: 9);
        var text = _tree.File("dir/notes.txt");

        var files = new FileCrawler(new CrawlOptions { Include = ["**/*.png"] }).Crawl([path, text]).ToList();

        var file = Assert.Single(files);
        Assert.Equal(path, file.Path);
        Assert.Equal(_tree.Full("dir"), file.Root);
        Assert.Equal(".hidden-but-named.jpg", file.RelativePath);
        Assert.Equal(9, file.Bytes);
    }

    [Fact]
    public void A_single_file_root_inside_a_directory_root_comes_once()
    {
        var path = _tree.File("a.jpg");

        Assert.Single(new FileCrawler(new CrawlOptions()).Crawl([path, _tree.Root]));
        Assert.Single(new FileCrawler(new CrawlOptions()).Crawl([_tree.Root, path]));
    }

    [Fact]
    public void A_missing_root_throws_before_crawling()
    {
        var missing = _tree.Full("no-such-dir");

        var error = Assert.Throws<DirectoryNotFoundException>(() => new FileCrawler(new CrawlOptions()).Crawl([_tree.Root, missing]));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cancellation_stops_the_enumeration()
    {
        for (var i = 0; i < 20; i++)
        {
            _tree.File($"d{i % 4}/img{i:D2}.jpg");
        }

        using var cancel = new CancellationTokenSource();
        using var files = new FileCrawler(new CrawlOptions()).Crawl([_tree.Root], cancel.Token).GetEnumerator();

        Assert.True(files.MoveNext());
        cancel.Cancel();

        Assert.Throws<OperationCanceledException>(() => files.MoveNext());
    }

    [Fact]
    public void Shards_partition_the_full_crawl()
    {
        for (var i = 0; i < 60; i++)
        {
            _tree.File($"album{i % 5}/img{i:D3}.jpg");
        }

        var all = Relative(new FileCrawler(new CrawlOptions()).Crawl([_tree.Root]));
        var shards = Enumerable.Range(0, 3)
            .Select(i => Relative(new FileCrawler(new CrawlOptions { Shard = new ShardSpec(i, 3) }).Crawl([_tree.Root])))
            .ToList();

        Assert.Equal(all.Order(StringComparer.Ordinal), shards.SelectMany(s => s).Order(StringComparer.Ordinal));
        Assert.Equal(all.Count, shards.SelectMany(s => s).Distinct().Count());
        Assert.All(shards, s => Assert.NotEmpty(s));
    }

    [Fact]
    public void An_invalid_shard_in_the_options_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => new FileCrawler(new CrawlOptions { Shard = default(ShardSpec) }));
    }
}
