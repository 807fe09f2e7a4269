// template-oracle runs volback's table of notification-template cases
// (src/volback/notify/testdata/template_cases.json) through Go's own text/template, with
// offen's template functions and data of offen's types, so that the expected outputs in
// the table are Go's and not volback's idea of them.
//
//	go run ./tools/template-oracle -cases FILE -write   # fill in "want"/"error" from Go
//	go run ./tools/template-oracle -cases FILE -check   # exit 1 when the table differs from Go
//
// The data mirrors offen/docker-volume-backup's NotificationData (Error, Config, Stats) with a
// few fields added for the language cases; notify's template_test.cpp builds the same values.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"text/template"
	"time"
)

type ContainersStats struct{ All, ToStop, Stopped, StopErrors uint }
type ServicesStats struct{ All, ToScaleDown, ScaledDown, ScaleDownErrors uint }
type BackupFileStats struct {
	Name     string
	FullPath string
	Size     uint64
}
type StorageStats struct{ Total, Pruned, PruneErrors uint }

type Stats struct {
	StartTime  time.Time
	EndTime    time.Time
	TookTime   time.Duration
	LockedTime time.Duration
	LogOutput  *bytes.Buffer
	Containers ContainersStats
	Services   ServicesStats
	BackupFile BackupFileStats
	Storages   map[string]StorageStats
}

type Config struct {
	BackupSources               string
	BackupRetentionDays         int32
	BackupPruningLeeway         time.Duration
	BackupFilenameExpand        bool
	NotificationURLs            []string
	BackupSkipBackendsFromPrune []string
	EmailSMTPPort               int
	GzipParallelism             uint
	AwsS3BucketName             string
}

type NotificationData struct {
	Error    error
	Config   *Config
	Stats    *Stats
	Items    []string
	Numbers  []int
	Counts   map[string]int
	Empty    []string
	Ratio    float64
	Big      uint64
	Negative int
}

type Case struct {
	Name     string   `json:"name"`
	Template string   `json:"template"`
	Files    []string `json:"files,omitempty"`
	Defaults bool     `json:"defaults,omitempty"`
	Execute  string   `json:"execute,omitempty"`
	Data     string   `json:"data"`
	Want     string   `json:"want"`
	Error    bool     `json:"error"`
}

func fixture(failure bool) NotificationData {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		panic(err)
	}
	start := time.Date(2026, 11, 26, 3, 0, 0, 123456789, berlin)
	storages := map[string]StorageStats{}
	for _, name := range []string{"S3", "WebDAV", "SSH", "Local", "Azure", "Dropbox", "GoogleDrive"} {
		storages[name] = StorageStats{}
	}
	storages["Local"] = StorageStats{Total: 5, Pruned: 2}
	storages["S3"] = StorageStats{Total: 3}
	d := NotificationData{
		Config: &Config{
			BackupSources:        "/backup",
			BackupRetentionDays:  7,
			BackupPruningLeeway:  time.Minute,
			BackupFilenameExpand: true,
			NotificationURLs:     []string{"generic://a", "ntfy://b/t"},
			EmailSMTPPort:        587,
			GzipParallelism:      4,
			AwsS3BucketName:      "bucket",
		},
		Stats: &Stats{
			StartTime:  start,
			EndTime:    start.Add(2*time.Minute + 3500*time.Millisecond),
			TookTime:   2*time.Minute + 3500*time.Millisecond,
			LockedTime: 1200 * time.Millisecond,
			LogOutput:  bytes.NewBufferString("time=2026-11-26T03:00:00.123+01:00 level=INFO msg=\"line one\"\nsecond <line>\n"),
			Containers: ContainersStats{All: 3, ToStop: 2, Stopped: 2},
			Services:   ServicesStats{All: 1, ToScaleDown: 1, ScaledDown: 1},
			BackupFile: BackupFileStats{
				Name:     "backup-2026-11-26T03-00-00.tar.gz",
				FullPath: "/archive/backup-2026-11-26T03-00-00.tar.gz",
				Size:     7055258,
			},
			Storages: storages,
		},
		Items:    []string{"alpha", "beta", "gamma"},
		Numbers:  []int{3, 1, 2},
		Counts:   map[string]int{"b": 2, "a": 1, "c": 3},
		Empty:    []string{},
		Ratio:    0.5,
		Big:      18446744073709551615,
		Negative: -7,
	}
	if failure {
		d.Error = errors.New("uploading to S3: connection refused <tls> & \"more\"")
	}
	return d
}

// offen's template functions (cmd/backup/notifications.go).
func formatBytes(b uint64, decimal bool) string {
	unit := uint64(1024)
	format := "%.1f %ciB"
	if decimal {
		unit = uint64(1000)
		format = "%.1f %cB"
	}
	if b < unit {
		return fmt.Sprintf("%d B", b)
	}
	div, exp := unit, 0
	for n := b / unit; n >= unit; n /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf(format, float64(b)/float64(div), "kMGTPE"[exp])
}

var funcs = template.FuncMap{
	"formatTime":     func(t time.Time) string { return t.Format(time.RFC3339) },
	"formatBytesDec": func(b uint64) string { return formatBytes(b, true) },
	"formatBytesBin": func(b uint64) string { return formatBytes(b, false) },
	"env":            os.Getenv,
	"toJson": func(v interface{}) string {
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Sprintf("failed to marshal JSON in notification template: %v", err)
		}
		return string(b)
	},
	"toPrettyJson": func(v interface{}) string {
		b, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			return fmt.Sprintf("failed to marshal indent JSON in notification template: %v", err)
		}
		return string(b)
	},
}

func run(c Case, defaults string) (string, error) {
	set := template.New("t").Funcs(funcs)
	if c.Defaults {
		if _, err := set.New("notifications.tmpl").Parse(defaults); err != nil {
			return "", err
		}
	}
	if _, err := set.New("t").Parse(c.Template); err != nil {
		return "", err
	}
	for i, text := range c.Files {
		if _, err := set.New(fmt.Sprintf("file%d", i+1)).Parse(text); err != nil {
			return "", err
		}
	}
	name := c.Execute
	if name == "" {
		name = "t"
	}
	var out bytes.Buffer
	err := set.ExecuteTemplate(&out, name, fixture(c.Data == "failure"))
	return out.String(), err
}

func main() {
	casesPath := flag.String("cases", "", "the case table (JSON)")
	defaultsPath := flag.String("defaults", "", "offen's default templates, for cases with \"defaults\": true")
	write := flag.Bool("write", false, "write Go's outputs into the table")
	check := flag.Bool("check", false, "exit 1 when the table differs from Go")
	flag.Parse()
	os.Setenv("VOLBACK_ORACLE_ENV", "from the environment")
	raw, err := os.ReadFile(*casesPath)
	if err != nil {
		panic(err)
	}
	defaults := ""
	if *defaultsPath != "" {
		d, err := os.ReadFile(*defaultsPath)
		if err != nil {
			panic(err)
		}
		defaults = string(d)
	}
	var cases []Case
	if err := json.Unmarshal(raw, &cases); err != nil {
		panic(err)
	}
	differences := 0
	for i, c := range cases {
		got, err := run(c, defaults)
		want, isError := got, err != nil
		if isError {
			want = ""
		}
		if c.Want != want || c.Error != isError {
			differences++
			fmt.Printf("case %q: table says want=%q error=%v; Go says want=%q error=%v (%v)\n", c.Name, c.Want, c.Error, want, isError, err)
		}
		cases[i].Want, cases[i].Error = want, isError
	}
	if *write {
		var out bytes.Buffer
		enc := json.NewEncoder(&out)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(cases); err != nil {
			panic(err)
		}
		if err := os.WriteFile(*casesPath, out.Bytes(), 0o644); err != nil {
			panic(err)
		}
	}
	fmt.Printf("%d cases, %d differ from Go\n", len(cases), differences)
	if *check && differences > 0 {
		os.Exit(1)
	}
}
