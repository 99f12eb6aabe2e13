using MultiModalSearch.Core.Crawling;
using MultiModalSearch.Testing;

namespace MultiModalSearch.Tests.Indexing;

public sealed class CrawlFileCrawlerTests : IDisposable
{
    private readonly CrawlTestTree tree = new();

    public void Dispose() => tree.Dispose();

    private static List<string> Relative(IEnumerable<CrawledFile> files) => files.Select(f => f.RelativePath).ToList();

    private void BuildMixedTree()
    {
        tree.File("a.jpg");
        tree.File("B.PNG");
        tree.File("Z.jpe");
        tree.File("c.txt");
        tree.File("noext");
        tree.File(".hidden.jpg");
        tree.File(".git/x.jpg");
        tree.File("sub/d.webp");
        tree.File("sub/deeper/e.HEIC");
        tree.File("sub/.h/f.jpg");
    }

    [Fact]
    public void Default_yields_supported_images_in_ordinal_depth_first_order_skipping_hidden_and_unsupported()
    {
        BuildMixedTree();

        var files = new FileCrawler(new CrawlOptions()).Crawl([tree.Root]).ToList();

        Assert.Equal(["B.PNG", "Z.jpe", "a.jpg", "sub/d.webp", "sub/deeper/e.HEIC"], Relative(files));
        Assert.All(files, f => Assert.Equal(tree.Root, f.Root));
        Assert.All(files, f => Assert.Equal(Path.Combine(f.Root, f.RelativePath), f.Path));
    }

    [Fact]
    public void IncludeHidden_takes_dot_files_and_dot_directories()
    {
        BuildMixedTree();

        var files = new FileCrawler(new CrawlOptions { IncludeHidden = true }).Crawl([tree.Root]);

        Assert.Equal([".git/x.jpg", ".hidden.jpg", "B.PNG", "Z.jpe", "a.jpg", "sub/.h/f.jpg", "sub/d.webp", "sub/deeper/e.HEIC"], Relative(files));
    }

    [Fact]
    public void Size_and_modified_time_come_from_the_file()
    {
        var path = tree.File("one.jpg", bytes: 1234);
        var modified = new DateTime(2021, 3, 4, 5, 6, 7, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(path, modified);

        var file = Assert.Single(new FileCrawler(new CrawlOptions()).Crawl([tree.Root]));

        Assert.Equal(1234, file.Bytes);
        Assert.Equal(new DateTimeOffset(modified), file.Modified);
        Assert.Equal(TimeSpan.Zero, file.Modified.Offset);
    }

    [Fact]
    public void Include_globs_narrow_case_insensitively_and_exclude_globs_prune_directories()
    {
        tree.File("a.jpg");
        tree.File("b.png");
        tree.File("CAPS.JPG");
        tree.File("keep/c.jpg");
        tree.File("cache/d.jpg");
        tree.File("x/thumbs/e.jpg");
        tree.File("x/f.jpg");
        tree.File("x/skip.tmp.jpg");
        tree.File("notes.txt");

        // Broken links inside pruned directories would be recorded as problems if the crawl went in there.
        tree.Link("cache/broken.jpg", "nowhere.jpg", directory: false);
        tree.Link("x/thumbs/broken.jpg", "nowhere.jpg", directory: false);
        var options = new CrawlOptions { Include = ["**/*.jpg"], Exclude = ["cache/**", "**/thumbs", "**/*.tmp.jpg"] };
        var crawler = new FileCrawler(options);

        var files = crawler.Crawl([tree.Root]).ToList();

        Assert.Equal(["CAPS.JPG", "a.jpg", "keep/c.jpg", "x/f.jpg"], Relative(files));
        Assert.Empty(crawler.Problems);
    }

    [Fact]
    public void Include_glob_of_an_unsupported_extension_yields_nothing()
    {
        tree.File("notes.txt");

        Assert.Empty(new FileCrawler(new CrawlOptions { Include = ["**/*.txt"] }).Crawl([tree.Root]));
    }

    [Fact]
    public void Symlink_loops_are_recorded_and_links_outside_are_followed_once()
    {
        tree.File("a/one.jpg");
        tree.File("b/two.jpg");
        tree.Link("a/self", tree.Full("a"), directory: true);   // link to its own parent directory
        tree.Link("a/up", "..", directory: true);                // relative link to the root
        var outside = tree.File("../outside/photos/o.jpg", bytes: 77);
        tree.File("../outside/photos/p.jpg");
        tree.Link("a/ext.jpg", outside, directory: false);
        tree.Link("b/ext-again.jpg", outside, directory: false);  // the same target through a second link
        tree.Link("c", tree.Full("../outside/photos"), directory: true);
        tree.Link("d", tree.Full("../outside"), directory: true); // an outside directory whose files come again
        tree.Link("e", tree.Full("b"), directory: true);         // an inside directory: crawled directly already
        var crawler = new FileCrawler(new CrawlOptions());

        var files = crawler.Crawl([tree.Root]).ToList();

        // o.jpg is first reached through a/ext.jpg, so later paths to it add nothing; p.jpg first through c/.
        Assert.Equal(["a/ext.jpg", "a/one.jpg", "b/two.jpg", "c/p.jpg"], Relative(files));
        Assert.Equal(77, files[0].Bytes);
        Assert.Equal(Path.Combine(tree.Root, "a", "ext.jpg"), files[0].Path);
        Assert.Equal(2, crawler.Problems.Count(p => p.Message.Contains("symlink loop", StringComparison.Ordinal)));
        Assert.Contains(crawler.Problems, p => p.Path == Path.Combine(tree.Root, "a", "self"));
        Assert.Contains(crawler.Problems, p => p.Path == Path.Combine(tree.Root, "a", "up"));
    }

    [Fact]
    public void A_file_link_after_a_directory_link_to_the_same_outside_file_is_not_a_second_copy()
    {
        var outside = tree.File("../outside/o.jpg");
        tree.Link("a-dir", tree.Full("../outside"), directory: true);
        tree.Link("z.jpg", outside, directory: false);

        Assert.Equal(["a-dir/o.jpg"], Relative(new FileCrawler(new CrawlOptions()).Crawl([tree.Root])));
    }

    [Fact]
    public void A_root_that_is_a_directory_link_is_crawled_under_its_given_path()
    {
        tree.File("../real/a.jpg");
        var link = Path.Combine(tree.Base, "link-root");
        Directory.CreateSymbolicLink(link, tree.Full("../real"));

        var file = Assert.Single(new FileCrawler(new CrawlOptions()).Crawl([link]));

        Assert.Equal(Path.Combine(link, "a.jpg"), file.Path);
        Assert.Equal(link, file.Root);
    }

    [Fact]
    public void A_link_to_a_file_inside_the_root_is_not_a_second_copy()
    {
        tree.File("z/real.jpg");
        tree.Link("a-link.jpg", tree.Full("z/real.jpg"), directory: false);

        var files = new FileCrawler(new CrawlOptions()).Crawl([tree.Root]).ToList();

        Assert.Equal(["z/real.jpg"], Relative(files));
    }

    [Fact]
    public void A_broken_link_is_recorded_and_the_crawl_goes_on()
    {
        tree.File("a.jpg");
        var broken = tree.Link("b-broken.jpg", tree.Full("missing.jpg"), directory: false);
        tree.File("c.jpg");
        var crawler = new FileCrawler(new CrawlOptions());

        var files = crawler.Crawl([tree.Root]).ToList();

        Assert.Equal(["a.jpg", "c.jpg"], Relative(files));
        var problem = Assert.Single(crawler.Problems);
        Assert.Equal(broken, problem.Path);
        Assert.Contains("broken symlink", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FollowSymlinks_false_ignores_every_link_without_problems()
    {
        tree.File("a.jpg");
        var outside = tree.File("../outside/o.jpg");
        tree.Link("ext.jpg", outside, directory: false);
        tree.Link("dir", tree.Full("../outside"), directory: true);
        tree.Link("loop", tree.Root, directory: true);
        tree.Link("broken.jpg", "nowhere.jpg", directory: false);
        var crawler = new FileCrawler(new CrawlOptions { FollowSymlinks = false });

        Assert.Equal(["a.jpg"], Relative(crawler.Crawl([tree.Root])));
        Assert.Empty(crawler.Problems);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Overlapping_roots_yield_each_file_once(bool innerFirst)
    {
        tree.File("a.jpg");
        tree.File("sub/b.jpg");
        tree.File("sub/deep/c.jpg");
        var inner = tree.Full("sub");
        string[] roots = innerFirst ? [inner, tree.Root] : [tree.Root, inner];

        var files = new FileCrawler(new CrawlOptions()).Crawl(roots).ToList();

        Assert.Equal(3, files.Count);
        Assert.Equal(3, files.Select(f => f.Path).Distinct().Count());
        var expectedFirst = innerFirst ? new[] { "b.jpg", "deep/c.jpg", "a.jpg" } : ["a.jpg", "sub/b.jpg", "sub/deep/c.jpg"];
        Assert.Equal(expectedFirst, Relative(files));
    }

    [Fact]
    public void The_same_root_twice_yields_each_file_once()
    {
        tree.File("a.jpg");

        Assert.Single(new FileCrawler(new CrawlOptions()).Crawl([tree.Root, tree.Root + "/"]));
    }

    [Fact]
    public void A_single_file_root_yields_that_file()
    {
        var path = tree.File("dir/.hidden-but-named.jpg", bytes: 9);
        var text = tree.File("dir/notes.txt");

        var files = new FileCrawler(new CrawlOptions { Include = ["**/*.png"] }).Crawl([path, text]).ToList();

        var file = Assert.Single(files);
        Assert.Equal(path, file.Path);
        Assert.Equal(tree.Full("dir"), file.Root);
        Assert.Equal(".hidden-but-named.jpg", file.RelativePath);
        Assert.Equal(9, file.Bytes);
    }

    [Fact]
    public void A_single_file_root_inside_a_directory_root_comes_once()
    {
        var path = tree.File("a.jpg");

        Assert.Single(new FileCrawler(new CrawlOptions()).Crawl([path, tree.Root]));
        Assert.Single(new FileCrawler(new CrawlOptions()).Crawl([tree.Root, path]));
    }

    [Fact]
    public void A_missing_root_throws_before_crawling()
    {
        var missing = tree.Full("no-such-dir");

        var error = Assert.Throws<DirectoryNotFoundException>(() => new FileCrawler(new CrawlOptions()).Crawl([tree.Root, missing]));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cancellation_stops_the_enumeration()
    {
        for (var i = 0; i < 20; i++)
        {
            tree.File($"d{i % 4}/img{i:D2}.jpg");
        }

        using var cancel = new CancellationTokenSource();
        using var files = new FileCrawler(new CrawlOptions()).Crawl([tree.Root], cancel.Token).GetEnumerator();

        Assert.True(files.MoveNext());
        cancel.Cancel();

        Assert.Throws<OperationCanceledException>(() => files.MoveNext());
    }

    [Fact]
    public void Shards_partition_the_full_crawl()
    {
        for (var i = 0; i < 60; i++)
        {
            tree.File($"album{i % 5}/img{i:D3}.jpg");
        }

        var all = Relative(new FileCrawler(new CrawlOptions()).Crawl([tree.Root]));
        var shards = Enumerable.Range(0, 3)
            .Select(i => Relative(new FileCrawler(new CrawlOptions { Shard = new ShardSpec(i, 3) }).Crawl([tree.Root])))
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
