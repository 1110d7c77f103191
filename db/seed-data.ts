// The demo municipality, as data. db/seed.ts writes it; the people, places and
// organisation numbers are made up (the numbers carry valid check digits).
import type { Insertable } from "kysely";
import type { MemberRole, VenuesTable } from "./schema";

/** ISO weekday (1 = Monday) → opening intervals in local time. */
export type Hours = Partial<Record<1 | 2 | 3 | 4 | 5 | 6 | 7, [string, string][]>>;

export interface VenueSpec extends Omit<Insertable<VenuesTable>, "site_id" | "parent_id" | "time_zone"> {
  slug: string;
  /** Slug of the venue this is a part of, listed before it. */
  parent?: string;
  hours: Hours;
}

const evenings = (opens: string, closes: string, days: (1 | 2 | 3 | 4 | 5)[] = [1, 2, 3, 4, 5]): Hours =>
  Object.fromEntries(days.map((d) => [d, [[opens, closes]]]));

const HALL_HOURS: Hours = { ...evenings("16:00", "22:30"), 6: [["09:00", "20:00"]], 7: [["09:00", "20:00"]] };

const HALL_RULES = { min_duration_minutes: 60, max_duration_minutes: 240, min_notice_minutes: 120, horizon_days: 120 };

export const SITES: { key: string; name: string; address: string; venues: VenueSpec[] }[] = [
  {
    key: "skole",
    name: "Løvstad skole",
    address: "Skolevegen 10, 3999 Løvstad",
    venues: [
      {
        slug: "storsalen",
        name: "Storsalen",
        kind: "sports-hall",
        capacity: 300,
        amenities: ["changing-rooms", "sound-system"],
        step_free: true,
        accessibility_notes: "Trinnfri inngang fra skolegården og heis til garderobene. HC-toalett ved inngangen.",
        description:
          "Full idrettshall med oppmerking for håndball, innebandy og basketball. Salen kan deles i to med skilleduk, og hver halvdel kan bookes for seg.\n\nGarderober med dusj i underetasjen. Innendørssko påbudt.",
        ...HALL_RULES,
        hours: HALL_HOURS,
      },
      {
        slug: "storsalen-a",
        parent: "storsalen",
        name: "Storsalen A (mot scenen)",
        kind: "sports-hall",
        capacity: 150,
        amenities: ["changing-rooms"],
        step_free: true,
        accessibility_notes: "Trinnfri inngang fra skolegården.",
        description: "Halvdelen av Storsalen nærmest scenen, med egen innebandybane.",
        ...HALL_RULES,
        hours: HALL_HOURS,
      },
      {
        slug: "storsalen-b",
        parent: "storsalen",
        name: "Storsalen B (mot inngangen)",
        kind: "sports-hall",
        capacity: 150,
        amenities: ["changing-rooms"],
        step_free: true,
        accessibility_notes: "Trinnfri inngang fra skolegården.",
        description: "Halvdelen av Storsalen nærmest inngangen. Egnet for basketball og turn.",
        ...HALL_RULES,
        hours: HALL_HOURS,
      },
      {
        slug: "skolekjokkenet",
        name: "Skolekjøkkenet",
        kind: "kitchen",
        capacity: 16,
        amenities: ["kitchen", "dishwasher"],
        step_free: true,
        accessibility_notes: "Ett kjøkkenbenk er senket for rullestolbrukere.",
        description: "Undervisningskjøkken med fire kokeøyer. Vaktmester går gjennom rutiner for renhold før første bruk.",
        approval_mode: "manual",
        min_duration_minutes: 120,
        max_duration_minutes: 300,
        min_notice_minutes: 2 * 24 * 60,
        horizon_days: 90,
        buffer_minutes: 30,
        hours: { ...evenings("17:00", "22:00", [1, 2, 3, 4]), 6: [["10:00", "16:00"]] },
      },
      {
        slug: "musikkrommet",
        name: "Musikkrommet",
        kind: "music-room",
        capacity: 25,
        amenities: ["piano", "sound-system", "drums"],
        step_free: false,
        accessibility_notes: "Inngang via trapp med åtte trinn fra skolegården. Ingen heis.",
        description: "Lydisolert musikkrom med flygel, trommesett og forsterkere. Korps og band får plass til å øve uten å forstyrre andre.",
        min_duration_minutes: 60,
        max_duration_minutes: 180,
        min_notice_minutes: 120,
        horizon_days: 120,
        weekly_quota_minutes: 4 * 60,
        hours: { ...evenings("17:00", "21:30"), 6: [["11:00", "15:00"]] },
      },
    ],
  },
  {
    key: "grendehus",
    name: "Løvstad grendehus",
    address: "Grendehusvegen 2, 3999 Løvstad",
    venues: [
      {
        slug: "peisestua",
        name: "Peisestua",
        kind: "meeting-room",
        capacity: 30,
        amenities: ["projector", "wifi", "kitchen", "whiteboard"],
        step_free: true,
        accessibility_notes: "Trinnfri inngang fra parkeringsplassen. Teleslynge i rommet.",
        description: "Lun møtesal med peis og tekjøkken. Passer for årsmøter, kurs og kafé.",
        min_duration_minutes: 60,
        max_duration_minutes: 360,
        min_notice_minutes: 120,
        horizon_days: 180,
        buffer_minutes: 15,
        // Daytime for daytime groups, a break while the house is cleaned, then evenings.
        hours: {
          1: [["09:00", "15:00"], ["17:00", "23:00"]],
          2: [["09:00", "15:00"], ["17:00", "23:00"]],
          3: [["09:00", "15:00"], ["17:00", "23:00"]],
          4: [["09:00", "15:00"], ["17:00", "23:00"]],
          5: [["09:00", "15:00"], ["17:00", "23:00"]],
          6: [["10:00", "23:00"]],
          7: [["12:00", "20:00"]],
        },
      },
      {
        slug: "lillesalen",
        name: "Lillesalen",
        kind: "meeting-room",
        capacity: 12,
        amenities: ["wifi", "whiteboard"],
        step_free: true,
        accessibility_notes: "Trinnfri inngang. Rommet ligger på bakkeplan.",
        description: "Lite møterom for styremøter og grupper.",
        min_duration_minutes: 30,
        max_duration_minutes: 240,
        min_notice_minutes: 60,
        horizon_days: 180,
        hours: evenings("08:00", "22:00"),
      },
    ],
  },
  {
    key: "hallen",
    name: "Løvstadhallen",
    address: "Idrettsvegen 5, 3999 Løvstad",
    venues: [
      {
        slug: "treningsrommet",
        name: "Treningsrommet",
        kind: "gym",
        capacity: 20,
        amenities: ["mirrors", "weights", "sound-system"],
        step_free: true,
        accessibility_notes: "Heis fra inngangen. Garderobe tilpasset rullestolbrukere.",
        description: "Treningsrom med speilvegg, frivekter og matter. Passer for styrketrening, yoga og dans.",
        min_duration_minutes: 60,
        max_duration_minutes: 180,
        min_notice_minutes: 120,
        horizon_days: 120,
        buffer_minutes: 15,
        hours: { ...evenings("16:00", "22:00"), 6: [["10:00", "18:00"]], 7: [["10:00", "18:00"]] },
      },
    ],
  },
];

/** Phone numbers are made up (no Norwegian subscriber number begins with 0): caretakers see them on bookings. */
export const USERS: { email: string; name: string; phone?: string }[] = [
  { email: "admin@flokk.example", name: "Ingrid Berg" },
  { email: "vaktmester@flokk.example", name: "Ola Nilsen", phone: "+47 0100 0001" },
  { email: "kari@flokk.example", name: "Kari Hansen", phone: "+47 0100 0002" },
  { email: "jonas@flokk.example", name: "Jonas Lie" },
  { email: "per@flokk.example", name: "Per Johansen", phone: "+47 0100 0003" },
  { email: "sara@flokk.example", name: "Sara Nguyen" },
  { email: "nils@flokk.example", name: "Nils Bakken" },
  { email: "liv@flokk.example", name: "Liv Andersen" },
  { email: "aisha@flokk.example", name: "Aisha Ali" },
  { email: "maja@flokk.example", name: "Maja Solberg" },
];

export const ASSOCIATIONS: {
  key: string;
  name: string;
  /** The first eight digits; seed.ts appends the check digit. */
  orgBase: number;
  contactEmail: string;
  verified: boolean;
  members: [string, MemberRole][];
}[] = [
  { key: "il", name: "Løvstad Idrettslag", orgBase: 99_100_101, contactEmail: "post@lovstad-il.example", verified: true, members: [["kari@flokk.example", "leader"], ["jonas@flokk.example", "member"]] },
  { key: "korps", name: "Løvstad Skolekorps", orgBase: 99_100_202, contactEmail: "styret@lovstad-korps.example", verified: true, members: [["per@flokk.example", "leader"], ["sara@flokk.example", "member"]] },
  { key: "sjakk", name: "Løvstad Sjakklubb", orgBase: 99_100_303, contactEmail: "sjakk@lovstad.example", verified: true, members: [["nils@flokk.example", "leader"], ["kari@flokk.example", "member"]] },
  { key: "dans", name: "Seniordansen Løvstad", orgBase: 99_100_404, contactEmail: "dans@lovstad.example", verified: true, members: [["liv@flokk.example", "leader"]] },
  { key: "husflid", name: "Løvstad Husflidslag", orgBase: 99_100_505, contactEmail: "husflid@lovstad.example", verified: true, members: [["aisha@flokk.example", "leader"], ["liv@flokk.example", "member"]] },
  { key: "strikk", name: "Strikkekafeen på Løvstad", orgBase: 99_100_606, contactEmail: "strikk@lovstad.example", verified: false, members: [["maja@flokk.example", "leader"], ["aisha@flokk.example", "member"]] },
];
